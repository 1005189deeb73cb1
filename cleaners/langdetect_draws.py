"""langdetect's random draws, read in bulk off the generator's raw outputs.

langdetect's detector draws n-grams with `random.choice` and a smoothing
constant with `random.gauss`, one call at a time. In CPython both are fixed
functions of the Mersenne Twister's 32-bit outputs (tests check them against
`random.Random` itself):

- `random()` is 53 bits from two outputs: (a >> 5) * 2**26 + (b >> 6);
- `gauss()` takes two `random()` and keeps its second value for its next call;
- `choice(seq)` takes the top k bits of an output (2**(k-1) <= n < 2**k) and
  skips values >= n, one output per attempt.

So the outputs can be drawn ahead in bulk (`getrandbits(32 * m)`) and the
choices read off them in a compiled loop (langdetect_trials.choice). Outputs
read past the point where a trial stops are simply read again by the next one.
"""

from __future__ import annotations

import math
import random
import threading

import numpy as np

_TWO_PI = 2.0 * math.pi
_SEEDED: dict[int, Outputs] = {}  # every detector with the same seed reads the same outputs: share them
_seeded_lock = threading.Lock()


class Outputs:
    """A generator's 32-bit outputs in order, drawn ahead in bulk."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = np.empty(0, dtype=np.uint32)
        self.lock = threading.Lock()

    def get(self, start: int, count: int) -> np.ndarray:
        words = self.words
        if start + count > len(words):
            with self.lock:
                words = self.words
                more = start + count - len(words)
                if more > 0:
                    more = max(more, len(words), 8192)
                    # getrandbits(32 * m) is m outputs, the first in the lowest bits
                    new = np.frombuffer(self.rng.getrandbits(32 * more).to_bytes(4 * more, "little"), dtype="<u4")
                    words = self.words = np.concatenate([words, new])
        return words[start : start + count]


def seeded_outputs(seed: int) -> Outputs:
    """The outputs of random.Random(seed), shared (a seeded detector starts from them every time)."""
    outputs = _SEEDED.get(seed)
    if outputs is None:
        with _seeded_lock:
            outputs = _SEEDED.setdefault(seed, Outputs(random.Random(seed)))
    return outputs


def _uniform(a: int, b: int) -> float:
    return ((a >> 5) * 67108864.0 + (b >> 6)) * (1.0 / 9007199254740992.0)


def gauss(outputs: Outputs, pos: int, spare: float | None) -> tuple[float, float | None, int]:
    """random.gauss(0.0, 1.0) at output `pos`, with the value it kept from its
    last call (None after seeding): (value, value kept, next output's position)."""
    if spare is not None:
        return spare, None, pos
    a, b, c, d = outputs.get(pos, 4).tolist()
    x2pi = _uniform(a, b) * _TWO_PI
    g2rad = math.sqrt(-2.0 * math.log(1.0 - _uniform(c, d)))
    return math.cos(x2pi) * g2rad, math.sin(x2pi) * g2rad, pos + 4
