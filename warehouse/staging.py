"""A run's prepared rows, staged as Parquet files before the load.

Everything a run will write is prepared chunk by chunk into a staging folder
beside the warehouse, so memory stays bounded by one chunk and the write lock
is taken only for the final load, which reads these files in one transaction.
A run that dies leaves only its staging folder, removed by the next run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

# The staged tables and their keys in the warehouse (for anti-join inserts).
TABLES = {
    "raw_inputs": ("raw.inputs", ("raw_id",)),
    "documents": ("clean.documents", ("doc_id",)),
    "removed_lines": ("clean.removed_lines", ("doc_id", "line_no")),
    "paragraphs": ("clean.paragraphs", ("doc_id", "para_no")),
    "bands": ("dedup.bands", ("doc_id", "para_no", "band")),
    "pairs": ("dedup.pairs", ("doc_id_a", "doc_id_b")),
    "paragraph_map": ("dedup.paragraph_map", ("doc_id_a", "para_no_a", "doc_id_b")),
    "quarantine": ("ops.quarantine", ("quarantine_id",)),
    # per document, summed by source and line into the stats (warehouse.source_stats)
    "counted_lines": ("clean.source_line_stats", ("source", "line_hash")),
}


def staging_root(db: str | Path) -> Path:
    db = Path(db)
    return db.with_name(db.name + ".staging")


def _try_lock(folder: Path) -> int | None:
    """An exclusive lock on the folder's lock file, or None if a live run holds it."""
    fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


class Staging:
    """The staging folder of one live run; it holds a lock while the run lives."""

    def __init__(self, root: Path, run_id: str) -> None:
        self.dir = root / run_id
        self.dir.mkdir(parents=True, exist_ok=True)
        fd = _try_lock(self.dir)
        if fd is None:
            raise RuntimeError(f"staging folder {self.dir} is in use by another run")
        self._lock_fd = fd  # released when the process ends, however it ends
        self._parts: dict[str, int] = {}

    def write(self, name: str, table: pa.Table) -> None:
        if name not in TABLES:
            raise KeyError(f"unknown staged table {name!r}")
        if table.num_rows == 0:
            return
        folder = self.dir / name
        folder.mkdir(exist_ok=True)
        n = self._parts.get(name, 0) + 1
        self._parts[name] = n
        tmp = folder / f"part-{n:06d}.parquet.tmp"
        pq.write_table(table, tmp, compression="zstd")
        tmp.rename(folder / f"part-{n:06d}.parquet")  # readers never see half a file

    def glob(self, name: str) -> str | None:
        """A read_parquet() glob for the table, or None when nothing is staged."""
        if not self._parts.get(name):
            return None
        return str(self.dir / name / "*.parquet")

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        os.close(self._lock_fd)
        with contextlib.suppress(OSError):  # other runs may still stage beside us
            self.dir.parent.rmdir()


def live_runs(root: Path) -> set[str]:
    """Run ids whose staging folder is locked by a live process."""
    live = set()
    if root.is_dir():
        for child in root.iterdir():
            if child.is_dir():
                fd = _try_lock(child)
                if fd is None:
                    live.add(child.name)
                else:
                    os.close(fd)
    return live


def remove_stale(root: Path) -> list[str]:
    """Delete staging folders left by runs that died; returns their run ids."""
    if not root.is_dir():
        return []
    removed = []
    for child in sorted(root.iterdir()):
        if child.is_dir():
            fd = _try_lock(child)
            if fd is not None:  # nobody holds it: its run is gone
                shutil.rmtree(child, ignore_errors=True)
                os.close(fd)
                removed.append(child.name)
    return removed
