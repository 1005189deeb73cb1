"""Incremental sources: which input files a run must read, and how much of them.

For each file found under the run's source roots, compared with the state the
last successful run recorded (warehouse.source_state):

- same size and mtime: unchanged, not read (no hashing either);
- otherwise hashed (sha256) to confirm: same hash is `touched`, not read;
- a plain `.jsonl` file that got longer and whose bytes up to the last run's
  offset still hash the same has only `grown`: it is read from that offset,
  numbering lines on from the recorded line count, so record ids
  (`path#L<n>`) are the ones a full read would give;
- anything else is `new` or `changed` and read whole (already landed records
  are then skipped by id, as always).

Files recorded under a root that this run no longer finds are `missing`.
A run that is not incremental reads every file but still records the state.
Plain functions: the flow calls them, tests call them without Prefect.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from cleaners import readers
from cleaners.limits import DEFAULT_LIMITS, Limits
from cleaners.record import Document, Quarantined
from cleaners.safe_paths import uri_text
from warehouse.source_state import MISSING, PRESENT, FileState, FileUpdate

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Fingerprint:
    size: int
    mtime_ns: int
    sha256: str
    line_offset: int  # byte offset just past the last b"\n"
    n_lines: int  # b"\n" before line_offset
    prefix_sha256: str  # sha256 of the bytes before line_offset
    prefix_at_old_offset: str | None  # sha256 of the bytes before the offset asked about


def is_plain_jsonl(path: str | Path) -> bool:
    """JSONL that can be read from an offset (a .jsonl.gz cannot: it is re-read whole)."""
    return str(path).lower().endswith(".jsonl")


def fingerprint(path: str | Path, old_offset: int | None = None, follow_links: bool = True) -> Fingerprint | None:
    """Hash a file in one pass; None when it changed while being hashed (read it, record nothing).

    Also notes where its last complete line ends, and the hash of the bytes
    before `old_offset`, so a grown JSONL file is recognised in the same pass.
    """
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | (0 if follow_links else os.O_NOFOLLOW)
    with open(os.open(path, flags), "rb", buffering=0) as f:
        before = os.fstat(f.fileno())
        h = hashlib.sha256()
        pos = line_offset = n_lines = 0
        prefix = h.hexdigest()
        at_old = prefix if old_offset == 0 else None
        while chunk := f.read(_CHUNK):
            cut = old_offset - pos if old_offset is not None and pos < old_offset <= pos + len(chunk) else None
            for piece in (chunk[:cut], chunk[cut:]) if cut is not None else (chunk,):
                last_nl = piece.rfind(b"\n")
                if last_nl >= 0:
                    h.update(piece[: last_nl + 1])
                    prefix, line_offset = h.hexdigest(), pos + last_nl + 1
                    n_lines += piece.count(b"\n")
                    h.update(piece[last_nl + 1 :])
                else:
                    h.update(piece)
                pos += len(piece)
                if pos == old_offset:
                    at_old = h.hexdigest()
        after = os.fstat(f.fileno())
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or pos != after.st_size:
        return None
    return Fingerprint(after.st_size, after.st_mtime_ns, h.hexdigest(), line_offset, n_lines, prefix, at_old)


def read_tail(
    path: Path, uri: str, offset: int, n_lines: int, complete_lines: int, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Document | Quarantined]:
    """Records of a JSONL file after byte `offset`, numbered from line `n_lines + 1`.

    A line past `complete_lines` that does not parse is the writer's
    unfinished last line: it is left for the next run, which reads again
    from the last complete line.
    """
    follow = getattr(path, "follow_links", True)
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW)
    line_no = n_lines
    try:
        with open(os.open(path, flags), "rb", buffering=_CHUNK) as f:
            f.seek(offset)
            # readers' own line splitter and record parser, so a tail read gives the records a full read would
            for n, line, size in readers._lines(f, limits.max_record_bytes):
                line_no = n_lines + n
                if line is None:
                    detail = f"line {line_no}: {size} bytes > {limits.max_record_bytes} (limits.max_record_bytes)"
                    yield Quarantined(f"{uri}#L{line_no}", "record_too_large", detail, None, size)
                    continue
                record = readers._jsonl_record(uri, line_no, line)
                if isinstance(record, Quarantined) and record.reason == "bad_json" and line_no > complete_lines:
                    continue
                if record is not None:
                    yield record
    except OSError as err:
        yield Quarantined(uri, "unreadable", f"after line {line_no}: {type(err).__name__}: {err.strerror or err}")


def root_of(path: str, roots: Sequence[str]) -> str:
    """The first root the path lies in (the one discovery found it under)."""
    for root in roots:
        if path == root or path.startswith(root.rstrip("/") + "/"):
            return root
    return path  # a root that was a file named directly, spelled differently


@dataclass
class SourceScan:
    """What a run found in its sources; written to ops.source_files after the load."""

    roots: list[str]
    known: dict[str, FileState]
    incremental: bool
    limits: Limits = DEFAULT_LIMITS
    seen: set[str] = field(default_factory=set)
    updates: list[FileUpdate] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def missing(self) -> list[str]:
        """Recorded files under this run's roots that it did not find."""
        roots = set(self.roots)
        return sorted(
            p for p, s in self.known.items() if s.status == PRESENT and s.root in roots and p not in self.seen
        )

    def summary(self) -> dict[str, int]:
        return {**self.counts, "missing": len(self.missing())}

    def units(self) -> Iterator[Document | Quarantined]:
        """Every input unit the run must process, file by file, in discovery order."""
        for path in readers.discover(self.roots):
            yield from self._units_of(path)

    def _units_of(self, path: Path) -> Iterator[Document | Quarantined]:
        uri = uri_text(str(path))
        if getattr(path, "problem", None) is not None:
            self.counts["unchecked"] += 1  # quarantined by the reader with its reason
            yield from readers.iter_path(path, self.limits)
            return
        follow = getattr(path, "follow_links", True)
        try:
            st = os.stat(path, follow_symlinks=follow)
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode):
            self.counts["unchecked"] += 1
            yield from readers.iter_path(path, self.limits)
            return
        self.seen.add(uri)
        root = root_of(str(path), self.roots)
        prev = self.known.get(uri)
        if prev is not None and (prev.size, prev.mtime_ns) == (st.st_size, st.st_mtime_ns):
            change = "reappeared" if prev.status == MISSING else "unchanged"
            self._note(prev, root, change, read=not self.incremental)
            if not self.incremental:
                yield from readers.iter_path(path, self.limits)
            return
        tail_from = prev.line_offset if prev is not None and is_plain_jsonl(uri) and st.st_size > prev.size else None
        try:
            fp = fingerprint(path, tail_from, follow)
        except OSError:
            fp = None  # the reader says what is wrong with it
        if fp is None:
            self.counts["unstable"] += 1  # changing while hashed: read it now, compare again next run
            yield from readers.iter_path(path, self.limits)
            return
        jsonl = is_plain_jsonl(uri)
        state = FileState(
            path=uri,
            root=root,
            size=fp.size,
            mtime_ns=fp.mtime_ns,
            sha256=fp.sha256,
            line_offset=fp.line_offset if jsonl else None,
            n_lines=fp.n_lines if jsonl else None,
            prefix_sha256=fp.prefix_sha256 if jsonl else None,
        )
        if prev is None:
            change = "new"
        elif fp.sha256 == prev.sha256:
            change = "reappeared" if prev.status == MISSING else "touched"
        elif tail_from is not None and prev.prefix_sha256 is not None and fp.prefix_at_old_offset == prev.prefix_sha256:
            change = "grown"
        else:
            change = "changed"
        read = change in ("new", "changed", "grown") or not self.incremental
        self._note(state, root, change, read)
        if not read:
            return
        if change == "grown" and self.incremental:
            yield from read_tail(path, uri, prev.line_offset, prev.n_lines, fp.n_lines, self.limits)
        else:
            yield from readers.iter_path(path, self.limits)

    def _note(self, state: FileState, root: str, change: str, read: bool) -> None:
        self.counts[change] += 1
        if change == "unchanged" and state.root == root and not read:
            return  # nothing to write: the per-run write stays proportional to what changed
        last_change = state.last_change if change == "unchanged" else change
        self.updates.append(FileUpdate(replace(state, root=root, last_change=last_change, status=PRESENT), read))
