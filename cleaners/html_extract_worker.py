"""A per-page time limit for HTML extraction: a helper process we can kill.

Why a process. trafilatura can hang on pathological pages, typically inside
one call into C (an lxml traversal, a backtracking regex) that holds the
GIL. A thread waiting with `join(timeout)` cannot stop it and is starved of
the GIL besides; `signal.alarm` works only in the main thread, and Prefect
runs tasks in worker threads. A process is the one unit that can be stopped
from outside, whatever it is doing.

Why this shape. Each calling thread (in each process) gets one long-lived
helper, started with `subprocess` rather than `multiprocessing` so that it
also works inside daemonic pool workers, which `multiprocessing` forbids
from having children. The helper imports trafilatura once (about a second)
and then serves pages over its stdin/stdout as length-prefixed pickles;
sending a page costs far less than extracting it. On a timeout the helper
is killed (and a new one started at the next page), and the page is
rejected with reason `timeout`. A helper exits on its own when its parent
goes away (its stdin closes). Waiting uses `select` on the pipe: POSIX only.
"""

from __future__ import annotations

import atexit
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from cleaners.errors import InputRejected

_HEADER = struct.Struct(">Q")
# Starting a helper imports trafilatura; on a loaded 2-core machine that can
# take several seconds, and it is not the page's fault, so it has its own limit.
STARTUP_TIMEOUT_S = 120.0
_READY = b"R"
_WARM_UP_PAGE = (
    "<html><head><title>Warm-up</title><meta name='date' content='2024-01-02'></head><body><article>"
    "<p>This paragraph exists only to make trafilatura load everything it loads lazily.</p>"
    "<p>Published on 2 January 2024 by a test author, with a second sentence for good measure.</p>"
    "</article></body></html>"
)
_PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)


class _Helper:
    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PROJECT_ROOT, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cleaners.html_extract_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self.pid = os.getpid()  # a forked child must not share its parent's helper
        if _read_exact(self.proc.stdout, len(_READY), time.monotonic() + STARTUP_TIMEOUT_S) != _READY:
            self.close()
            raise RuntimeError("the HTML extraction helper process did not start")

    def call(self, args: tuple[Any, ...], timeout_s: float) -> tuple:
        payload = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        self.proc.stdin.write(_HEADER.pack(len(payload)) + payload)
        self.proc.stdin.flush()
        deadline = time.monotonic() + timeout_s
        header = _read_exact(self.proc.stdout, _HEADER.size, deadline)
        if header is None:
            return ("timeout",)
        body = _read_exact(self.proc.stdout, _HEADER.unpack(header)[0], deadline)
        return ("timeout",) if body is None else pickle.loads(body)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


def _read_exact(stream, n: int, deadline: float) -> bytes | None:
    """n bytes from the pipe, or None when the deadline passes first.

    Raises EOFError when the helper died (it crashed: not a timeout)."""
    fd = stream.fileno()
    chunks, got = [], 0
    while got < n:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise EOFError("the HTML extraction helper process exited")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


_local = threading.local()
_all_helpers: list[_Helper] = []
_all_lock = threading.Lock()


def _helper() -> _Helper:
    helper = getattr(_local, "helper", None)
    if helper is None or helper.pid != os.getpid() or helper.proc.poll() is not None:
        helper = _Helper()
        _local.helper = helper
        with _all_lock:
            _all_helpers.append(helper)
    return helper


def _discard(helper: _Helper) -> None:
    helper.close()
    _local.helper = None


@atexit.register
def _close_all() -> None:
    with _all_lock:
        for helper in _all_helpers:
            if helper.pid == os.getpid():
                helper.close()
        _all_helpers.clear()


def run_bounded(html: str, url: str | None, timeout_s: float):
    """`extract_html_unbounded(html, url)` in the helper, at most `timeout_s` s.

    Raises InputRejected("timeout") when the limit passes (the helper is then
    killed), InputRejected("extract_error") when extraction raised something
    other than InputRejected (a bad page, not a bad run), and re-raises the
    page's own InputRejected.
    """
    helper = _helper()
    try:
        answer = helper.call((html, url), timeout_s)
    except (BrokenPipeError, EOFError) as err:
        _discard(helper)
        raise InputRejected("extract_error", f"extraction process died: {err}") from err
    if answer[0] == "ok":
        return answer[1]
    if answer[0] == "timeout":
        _discard(helper)
        raise InputRejected("timeout", f"extraction took longer than {timeout_s:g} s ({len(html)} chars of HTML)")
    if answer[0] == "rejected":
        raise InputRejected(answer[1], answer[2])
    raise InputRejected("extract_error", answer[1])


def _serve() -> None:
    """The helper's loop: read a page, extract it, write the answer."""
    from cleaners.html_extract import extract_html_unbounded

    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt the protocol
    # trafilatura's first page in a process costs seconds of lazy set-up
    # (date parsing tables); pay it here, not within the first page's limit
    extract_html_unbounded(_WARM_UP_PAGE, None)
    answers.write(_READY)
    answers.flush()
    while True:
        header = requests.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return  # the parent closed the pipe: nothing more to do
        html, url = pickle.loads(requests.read(_HEADER.unpack(header)[0]))
        try:
            answer: tuple = ("ok", extract_html_unbounded(html, url))
        except InputRejected as err:
            answer = ("rejected", err.reason, err.detail)
        except Exception as err:  # any failure on one page is that page's problem
            answer = ("error", f"{type(err).__name__}: {err}"[:500])
        payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        answers.write(_HEADER.pack(len(payload)) + payload)
        answers.flush()


if __name__ == "__main__":
    _serve()
