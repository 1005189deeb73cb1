"""Run an ingest with the flow's plain steps, printing each step as it starts.

Used by tests/test_kill.py, which SIGKILLs this process at random points and
reads the last printed step to know where the kill landed. With
SIFT_KILL_AT=STEP the process SIGKILLs itself when STEP starts; `in_load`
kills it inside the load transaction, after the inserts and before COMMIT.
    python tests/kill_driver.py DB PATH...
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows import steps
from tests.fixtures_landed import land_folder
from warehouse import load

STEPS = (
    "start_run",
    "filter_new",
    "prepare_batch",
    "find_chunk_pairs",
    "stage",
    "find_run_pairs",
    "cluster_run",
    "finish_run",
)


def _announce(name, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        print(f"STEP {name}", flush=True)
        if os.environ.get("SIFT_KILL_AT") == name:
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(*args, **kwargs)

    return wrapper


def main() -> None:
    for name in STEPS:
        setattr(steps, name, _announce(name, getattr(steps, name)))
    # inside land_staged's transaction: rows inserted, COMMIT not reached
    load._replace_clusters = _announce("in_load", load._replace_clusters)
    land_folder(sys.argv[1], sys.argv[2:], chunk_size=8, batch_size=4)
    print("STEP done", flush=True)


if __name__ == "__main__":
    main()
