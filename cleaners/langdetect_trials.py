"""langdetect's trial loop, compiled (numba): its own arithmetic, in its own order.

A trial draws n-grams at random (`random.choice`), multiplies the 55
language probabilities by each one's profile vector plus a smoothing weight,
and after update 1, 6, 11, ... normalises them and stops once one passes
0.99999 (or after ITERATION_LIMIT updates). In Python that is a loop of
~55 multiplications per draw; numpy needed a dozen calls per block of draws.
Compiled, it runs as langdetect runs it: the same operations on the same
doubles in the same order (sum left to right, no reassociation), so the
probabilities are langdetect's exactly. `cache=True`: compiled once per
machine (`make install`), loaded after that.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, inline="always")
def choice(outputs, used, n, shift):
    """random.choice over n items from the generator's 32-bit outputs[used:]:
    (index, outputs used so far), or (-1, used) when the outputs ran out.

    CPython takes the top k bits of an output (2**(k-1) <= n < 2**k, so
    shift = 32 - k) and draws again while the value is >= n.
    """
    while used < outputs.shape[0]:
        r = np.int64(outputs[used]) >> shift  # in int64: uint32 >> int64 would be a float
        used += 1
        if r < n:
            return r, used
    return -1, used


@njit(cache=True, nogil=True)
def trial(outputs, ids, shift, matrix, prob, weight, conv_threshold, iteration_limit):
    """Run one trial on `prob` (updated in place) with draws from `outputs`.

    `ids`: the text's n-grams as rows of `matrix` (their profile vectors);
    shift = 32 - len(ids).bit_length(). Returns how many outputs it used, or
    -1 if `outputs` ran out first (`prob` is then spoilt: call again on a
    fresh copy with more outputs).
    """
    n = ids.shape[0]
    n_lang = prob.shape[0]
    used = 0
    i = 0
    while True:
        r, used = choice(outputs, used, n, shift)
        if r < 0:
            return -1
        row = ids[r]
        for lang in range(n_lang):
            prob[lang] *= weight + matrix[row, lang]
        if i % 5 == 0:
            total = 0.0
            for lang in range(n_lang):
                total += prob[lang]
            top = 0.0
            for lang in range(n_lang):
                p = prob[lang] / total
                if top < p:
                    top = p
                prob[lang] = p
            if top > conv_threshold or i >= iteration_limit:
                return used
        i += 1


def warm_up() -> None:
    """Call the loop once on tiny inputs, so it is compiled (and cached) or loaded."""
    outputs = np.arange(1, 64, dtype=np.uint32) << np.uint32(26)
    ids = np.frombuffer(bytes(12), dtype=np.intc)  # read-only, as the detector's rows are
    trial(outputs, ids, 30, np.full((1, 2), 0.5), np.full(2, 0.5), 0.5, 0.99999, 1000)


if __name__ == "__main__":
    warm_up()
