"""Shared fixtures. Prefect is imported lazily: only tests marked `prefect`
pay for its import and for the one session-scoped temporary server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Tests never assert on time, and hypothesis's per-example deadline is one: the
# first call of a compiled kernel (dedup.kernels) loads or compiles it.
settings.register_profile("sift", deadline=None)
settings.load_profile("sift")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "corpus"


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    os.environ["PREFECT_HOME"] = str(home)
    from flows.prefect_env import configure

    configure()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.duckdb"
