"""Prefect's temporary API server, started before Prefect is imported.

With no server configured, Prefect's client starts a temporary one the first
time it needs it: only after this process has imported Prefect and the flow
(~2.5 s on 2 cores) and then the server's own modules (~2 s more, in this
process, only to launch it), and the server then takes 5-8 s to come up. Here
the same server (the same uvicorn command Prefect runs, on 127.0.0.1) starts
first thing, so its start-up overlaps the command's imports and the cleaning
workers' warm-up; PREFECT_API_URL names it, so Prefect uses it and starts
none of its own. It is stopped when the process exits, as Prefect stops its own.

Only when nothing else names a server: PREFECT_API_URL in the environment or
in the profiles of PREFECT_HOME keeps the user's (Prefect then decides).
`free_port` and `wait_until_healthy` serve `sift serve`'s own server too.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

# what Prefect sets for its temporary server: no UI, ephemeral mode
_SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}


class ServerStartError(RuntimeError):
    """A local Prefect server did not come up: an infrastructure error that fails the run."""


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(api_url: str, proc: subprocess.Popen, timeout_s: float, log: Path | None = None) -> None:
    """Poll a server's health endpoint; ServerStartError with its log when it exits or takes too long."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerStartError(f"the Prefect server exited with code {proc.returncode}{_tail(log)}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # not listening yet
        time.sleep(0.1)
    raise ServerStartError(f"the Prefect server did not answer within {timeout_s:.0f} s{_tail(log)}")


def _tail(log: Path | None) -> str:
    if log is None or not log.exists():
        return ""
    return ":\n" + "\n".join(log.read_text(errors="replace").splitlines()[-20:])


def _user_names_a_server() -> bool:
    if os.environ.get("PREFECT_API_URL"):
        return True
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or Path(os.environ["PREFECT_HOME"]) / "profiles.toml")
    try:
        return "PREFECT_API_URL" in profiles.read_text(encoding="utf-8")
    except OSError:  # no profiles file: Prefect's defaults, no server configured
        return False


class EarlyServer:
    def __init__(self) -> None:
        spec = importlib.util.find_spec("prefect")  # finds the package without importing it
        if spec is None or spec.origin is None:
            raise ServerStartError("Prefect is not installed in this environment")
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        # a file, not a pipe nobody reads while the run lasts: a full pipe would block the server
        fd, name = tempfile.mkstemp(prefix="sift-prefect-server-", suffix=".log")
        self.log = Path(name)
        # the command and settings of prefect.server.api.server.SubprocessASGIServer
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(Path(spec.origin).parent.parent),
                "--factory",
                "prefect.server.api.server:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "error",
                "--lifespan",
                "on",
            ],
            env={**os.environ, **_SERVER_ENV},
            stdout=subprocess.DEVNULL,
            stderr=fd,
        )
        os.close(fd)  # the server has its own copy
        atexit.register(self.stop)

    def wait_ready(self, timeout: float) -> None:
        """Return once the server answers its health check; raise ServerStartError if it cannot."""
        try:
            wait_until_healthy(self.api_url, self.process, timeout, self.log)
        except ServerStartError as err:
            self.stop()
            raise ServerStartError(f"{err}\n(PREFECT_API_URL may name a running server instead)") from None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.unlink(missing_ok=True)


def start() -> EarlyServer | None:
    """Start the temporary server and name it in PREFECT_API_URL, unless a server is configured.

    Call after flows.prefect_env.configure() (PREFECT_HOME, the settings) and
    before Prefect is imported; then `wait_ready` before the first flow run.
    """
    if _user_names_a_server():
        return None
    server = EarlyServer()
    os.environ["PREFECT_API_URL"] = server.api_url
    return server
