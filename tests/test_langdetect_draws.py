"""The bulk draws must be exactly what random.Random's own calls return."""

from __future__ import annotations

import random

import numpy as np
import pytest

from cleaners.langdetect_draws import Draws, Outputs, gauss, seeded_outputs


def test_outputs_are_the_generators_32_bit_outputs() -> None:
    rng = random.Random(12345)
    expected = [rng.getrandbits(32) for _ in range(20_000)]
    outputs = Outputs(random.Random(12345))
    assert outputs.get(0, 3).tolist() == expected[:3]
    assert outputs.get(9_000, 11_000).tolist() == expected[9_000:]  # read past the first bulk draw
    assert seeded_outputs(12345).get(0, 100).tolist() == expected[:100]


@pytest.mark.parametrize("n", [1, 2, 3, 5, 211, 1000, 1024, 1025, 3916, 4096, 4097, 65_537])
def test_trials_draw_what_gauss_and_choice_draw(n: int) -> None:
    """langdetect's pattern: seed, then per trial one gauss() and some choice() calls."""
    seed = 7
    rng = random.Random(seed)
    ids = np.arange(n)
    vectors = np.arange(n, dtype=np.float64).reshape(n, 1)  # row i holds i: the draw itself
    draws = Draws(ids, vectors, seeded_outputs(seed))
    pos, spare = 0, None
    for count in (1, 5, 56, 3, 700, 12, 1):  # uneven trials, some longer than a read-ahead
        value, spare, pos = gauss(draws.outputs, pos, spare)
        assert value == rng.gauss(0.0, 1.0)
        expected = [rng.choice(range(n)) for _ in range(count)]
        positions, drawn = draws.after(pos, count)
        assert drawn[:, 0].astype(int).tolist() == expected
        pos = int(positions[-1]) + 1  # the next trial starts after the last output used
    # and the generator is where langdetect's would be
    value, spare, pos = gauss(draws.outputs, pos, spare)
    assert value == rng.gauss(0.0, 1.0)
    assert draws.after(pos, 1)[1][0, 0] == rng.choice(range(n))


def test_unseeded_generator_is_read_in_order() -> None:
    rng = random.Random()
    state = rng.getstate()
    outputs = Outputs(rng)
    twin = random.Random()
    twin.setstate(state)
    assert outputs.get(0, 10).tolist() == [twin.getrandbits(32) for _ in range(10)]
