"""Progress of a run, per stage, for people watching a terminal.

The flow reports what it finished (`advance("clean", 200)`) and knows
nothing about display; by default nothing is shown. The CLI installs a
terminal reporter when stderr is a TTY, so logs, pipes and CI stay quiet.
Totals are unknown while inputs stream in, so each stage shows a count, a
rate and the elapsed time, and a full bar once it is done.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

# Stage name -> the unit its count is in, in display order.
STAGES = {
    "read": "inputs",
    "clean": "documents",
    "pairs": "documents",
    "stage": "documents",
    "cluster": "steps",
    "load": "steps",
}


class Reporter(Protocol):
    def advance(self, stage: str, n: int) -> None: ...

    def done(self, stage: str) -> None: ...

    def close(self) -> None: ...


class NullReporter:
    def advance(self, stage: str, n: int) -> None:
        pass

    def done(self, stage: str) -> None:
        pass

    def close(self) -> None:
        pass


_current: Reporter = NullReporter()


def advance(stage: str, n: int = 1) -> None:
    _current.advance(stage, n)


def done(stage: str) -> None:
    _current.done(stage)


@contextlib.contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    """Send the progress of runs started inside the block to `reporter`."""
    global _current
    previous, _current = _current, reporter
    try:
        yield reporter
    finally:
        _current = previous
        reporter.close()


def for_stream(stream: TextIO | None = None, force: bool = False) -> Reporter:
    """Progress bars on `stream` (stderr) if it is a terminal, else nothing."""
    stream = stream or sys.stderr
    if not (force or stream.isatty()):
        return NullReporter()
    return TerminalReporter(stream)


class TerminalReporter:
    """rich progress bars (rich comes with Prefect), one line per stage."""

    def __init__(self, stream: TextIO) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<8}"),
            BarColumn(bar_width=24),
            TextColumn("{task.completed:>9,.0f} {task.fields[unit]:<9}"),
            _RateColumn(),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=False,
        )
        self._tasks: dict[str, int] = {}
        self._counts: dict[str, int] = {}
        self._progress.start()

    def _task(self, stage: str) -> int:
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(stage, total=None, unit=STAGES.get(stage, "items"))
        return self._tasks[stage]

    def advance(self, stage: str, n: int) -> None:
        self._counts[stage] = self._counts.get(stage, 0) + n
        self._progress.advance(self._task(stage), n)

    def done(self, stage: str) -> None:
        task = self._task(stage)
        n = self._counts.get(stage, 0)
        self._progress.update(task, total=max(n, 1), completed=n)  # a full bar, even for an empty stage
        self._progress.stop_task(task)

    def close(self) -> None:
        self._progress.stop()


class _RateColumn(ProgressColumn):
    """Average rate over the stage's elapsed time (per-chunk updates are too coarse for an instant rate)."""

    def render(self, task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        if not elapsed or not task.completed:
            return Text("")
        return Text(f"{task.completed / elapsed:>9,.1f}/s")
