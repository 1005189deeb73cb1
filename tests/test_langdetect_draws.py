"""The bulk draws must be exactly what random.Random's own calls return."""

from __future__ import annotations

import random

import numpy as np
import pytest

from cleaners.langdetect_draws import Outputs, gauss, seeded_outputs
from cleaners.langdetect_trials import choice


def test_outputs_are_the_generators_32_bit_outputs() -> None:
    rng = random.Random(12345)
    expected = [rng.getrandbits(32) for _ in range(20_000)]
    outputs = Outputs(random.Random(12345))
    assert outputs.get(0, 3).tolist() == expected[:3]
    assert outputs.get(9_000, 11_000).tolist() == expected[9_000:]  # read past the first bulk draw
    assert seeded_outputs(12345).get(0, 100).tolist() == expected[:100]


def _choices(outputs: Outputs, pos: int, n: int, count: int) -> tuple[list[int], int]:
    """`count` draws of langdetect_trials.choice from output `pos` on, and the next output's position."""
    words = outputs.get(pos, 64 * count + 64)
    shift, used, drawn = 32 - n.bit_length(), 0, []
    for _ in range(count):
        r, used = choice(words, used, n, shift)
        assert r >= 0, "ran out of outputs"
        drawn.append(int(r))
    return drawn, pos + used


@pytest.mark.parametrize("n", [1, 2, 3, 5, 211, 1000, 1024, 1025, 3916, 4096, 4097, 65_537])
def test_trials_draw_what_gauss_and_choice_draw(n: int) -> None:
    """langdetect's pattern: seed, then per trial one gauss() and some choice() calls."""
    seed = 7
    rng = random.Random(seed)
    outputs = seeded_outputs(seed)
    pos, spare = 0, None
    for count in (1, 5, 56, 3, 700, 12, 1):  # uneven trials
        value, spare, pos = gauss(outputs, pos, spare)
        assert value == rng.gauss(0.0, 1.0)
        drawn, pos = _choices(outputs, pos, n, count)
        assert drawn == [rng.choice(range(n)) for _ in range(count)]
    # and the generator is where langdetect's would be
    value, spare, pos = gauss(outputs, pos, spare)
    assert value == rng.gauss(0.0, 1.0)
    assert _choices(outputs, pos, n, 1)[0] == [rng.choice(range(n))]


def test_choice_says_when_the_outputs_ran_out() -> None:
    words = np.asarray([0xFFFFFFFF, 0xFFFFFFFF], dtype=np.uint32)  # both draw 4 of range(5): rejected
    assert choice(words, 0, 5, 32 - (5).bit_length()) == (-1, 2)


def test_unseeded_generator_is_read_in_order() -> None:
    rng = random.Random()
    state = rng.getstate()
    outputs = Outputs(rng)
    twin = random.Random()
    twin.setstate(state)
    assert outputs.get(0, 10).tolist() == [twin.getrandbits(32) for _ in range(10)]
