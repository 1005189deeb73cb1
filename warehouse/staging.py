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
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dedup.run_bands import RunBands
from dedup.run_copies import RunRepresentatives
from warehouse.staged_ids import StagedIds

# The staged tables and their keys in the warehouse (for anti-join inserts);
# None: staged for the load to read, not landed.
TABLES: dict[str, tuple[str, tuple[str, ...]] | None] = {
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
    # the ids of the documents dedup indexed (one per normalised text): whose
    # counted lines count (warehouse.source_stats); read by the load, not landed
    "indexed_docs": None,
}

# Beside each staged documents file, its texts as plain UTF-8 with their byte
# offsets, so that a later chunk reads the few earlier texts it must verify
# (candidates) by seeking. A join on the Parquet text column decompressed
# every staged text: 1.5-1.9 CPU-s a chunk with 275k documents staged, growing
# with the run; row groups of 256 documents still cost 1.3-1.5 CPU-s for
# 1,000 texts, since 1,000 random documents touch most groups.
TEXTS_SUFFIX, OFFSETS_SUFFIX = ".texts", ".offsets.npy"
# Bytes (in Arrow) per Parquet row group of a staged part. The writer
# encodes and compresses a whole row group before writing it: in one row
# group, writing a 5,000-document chunk's 24 MB of band rows took the flow's
# RSS up by 30 MB; in groups of ~4 MB, by 2-3 MB.
STAGED_ROW_GROUP_BYTES = 4 << 20


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
        self._run_bands: RunBands | None = None
        self.run_representatives = RunRepresentatives()  # in memory: see dedup.run_copies
        self.staged_ids = StagedIds()  # where each staged document is (warehouse.staged_ids)
        self.text_offsets: dict[str, np.ndarray] = {}  # by documents part, for read_texts (~40 KB a part)

    @property
    def run_bands(self) -> RunBands:
        """The band rows of the run's chunks, for the end-of-run self-join (dedup.run_bands)."""
        if self._run_bands is None:
            self._run_bands = RunBands(self.dir / "run_bands")
        return self._run_bands

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
        part = folder / f"part-{n:06d}.parquet"
        if name == "documents":  # before the part itself: a visible part always has its texts
            _write_texts(part, table.column("clean_text"))
        rows_per_group = max(1024, STAGED_ROW_GROUP_BYTES * table.num_rows // max(1, table.nbytes))
        pq.write_table(table, tmp, compression="zstd", row_group_size=rows_per_group)
        tmp.rename(part)  # readers never see half a file
        if name == "documents":
            self.staged_ids.add(str(part), table.column("doc_id").to_pylist())

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


def _write_texts(part: Path, column: pa.ChunkedArray) -> None:
    """The column's UTF-8 bytes and offsets, straight from Arrow's buffers: the
    texts as Python strings and their encodings were ~75 MB more a 5,000-document
    chunk, on top of the table itself, at the flow's peak."""
    texts = column.combine_chunks().cast(pa.large_string())  # int64 offsets, one buffer
    _, offsets_buf, data_buf = texts.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[texts.offset : texts.offset + len(texts) + 1]
    start, stop = int(offsets[0]), int(offsets[-1])
    with open(str(part) + TEXTS_SUFFIX, "wb") as f:
        f.write(memoryview(data_buf)[start:stop] if data_buf is not None else b"")
    np.save(str(part) + OFFSETS_SUFFIX, offsets - start)


def read_texts(locations: Iterable[tuple[str, int]], offsets_of: dict[str, np.ndarray] | None = None) -> list[str]:
    """Texts of staged documents at (documents part file, row number in it), in
    the order given. `offsets_of` keeps each part's offsets between calls (a
    staged part never changes): at 1M documents the run's own pairs read texts
    from ~200 parts a block of candidates, and loading their offsets each time
    was 44 s of the flow's time."""
    out, files = [], {}
    offsets_of = {} if offsets_of is None else offsets_of
    with contextlib.ExitStack() as stack:
        for part, row in locations:
            if part not in files:
                if part not in offsets_of:
                    offsets_of[part] = np.load(part + OFFSETS_SUFFIX)
                files[part] = (stack.enter_context(open(part + TEXTS_SUFFIX, "rb")), offsets_of[part])
            f, offsets = files[part]
            f.seek(int(offsets[row]))
            out.append(f.read(int(offsets[row + 1] - offsets[row])).decode("utf-8", "surrogatepass"))
    return out


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
