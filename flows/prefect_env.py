"""Prefect settings sift needs, applied before Prefect is first imported.

With no server configured Prefect starts a temporary local one; its home
(database, logs) goes to `.prefect/` in the working directory, which git
ignores. Users who set PREFECT_HOME or PREFECT_API_URL keep their own.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULTS = {
    # A cold temporary server takes 10-20 s on 2 cores; Prefect's default
    # 20 s limit makes first runs fail at random.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
}


def configure(verbose: bool = False) -> None:
    os.environ.setdefault("PREFECT_HOME", str(Path.cwd() / ".prefect"))
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    if verbose:
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
