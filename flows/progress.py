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
from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn
from rich.text import Text

# Stage name -> the unit its count is in, in display order.
STAGES = {
    "read": "inputs",
    "clean": "documents",
    "pairs": "documents",
    "stage": "documents",
    "run_pairs": "pairs",  # among the run's own documents, after its last chunk
    "cluster": "steps",
    "load": "steps",
}


class Reporter(Protocol):
    def advance(self, stage: str, n: int, seconds: float = 0.0) -> None: ...

    def done(self, stage: str) -> None: ...

    def close(self) -> None: ...


class NullReporter:
    def advance(self, stage: str, n: int, seconds: float = 0.0) -> None:
        pass

    def done(self, stage: str) -> None:
        pass

    def close(self) -> None:
        pass


_current: Reporter = NullReporter()


def advance(stage: str, n: int = 1, seconds: float = 0.0) -> None:
    """`n` more items through `stage`, which spent `seconds` on them (stages take turns per chunk)."""
    _current.advance(stage, n, seconds)


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
    """rich progress bars (rich comes with Prefect), one line per stage.

    Stages take turns chunk by chunk, so a stage's rate is its count over the
    seconds it was busy, not over the wall time since it first appeared.
    """

    def __init__(self, stream: TextIO) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<8}"),
            BarColumn(bar_width=24),
            TextColumn("{task.completed:>9,.0f} {task.fields[unit]:<9}"),
            _RateColumn(),
            TextColumn("{task.fields[busy]:>7.1f} s busy"),
            console=Console(file=stream),
            transient=False,
        )
        self._tasks: dict[str, int] = {}
        self._counts: dict[str, int] = {}
        self._busy: dict[str, float] = {}
        self._progress.start()

    def _task(self, stage: str) -> int:
        if stage not in self._tasks:
            unit = STAGES.get(stage, "items")
            self._tasks[stage] = self._progress.add_task(stage, total=None, unit=unit, busy=0.0)
        return self._tasks[stage]

    def advance(self, stage: str, n: int, seconds: float = 0.0) -> None:
        self._counts[stage] = self._counts.get(stage, 0) + n
        self._busy[stage] = self._busy.get(stage, 0.0) + seconds
        self._progress.update(self._task(stage), advance=n, busy=self._busy[stage])

    def done(self, stage: str) -> None:
        task = self._task(stage)
        n = self._counts.get(stage, 0)
        self._progress.update(task, total=max(n, 1), completed=n)  # a full bar, even for an empty stage
        self._progress.stop_task(task)

    def close(self) -> None:
        self._progress.stop()


class _RateColumn(ProgressColumn):
    """Items per busy second of the stage."""

    def render(self, task) -> Text:
        busy = task.fields.get("busy") or 0.0
        if busy <= 0 or not task.completed:
            return Text(" " * 11)
        return Text(f"{task.completed / busy:>9,.1f}/s")
