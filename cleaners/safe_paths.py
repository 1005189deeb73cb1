"""Finding input files without leaving the source roots; names that can be stored.

A folder given to sift is a source root. The walk below it:

- never follows a symlink: a link whose target is inside the root is an
  alias of a file the walk reaches under its real name anyway, so it is
  skipped (reading it too would land the same bytes twice under two names);
  a link that leaves the root, loops or dangles is handed on with a
  `problem`, so the reader quarantines it (`outside_root`, `symlink_loop`,
  `broken_symlink`) instead of reading outside the root;
- reports a folder it cannot list as an input with problem `unreadable`,
  where `os.walk` would silently skip it;
- hands on FIFOs, sockets and devices with problem `not_a_regular_file`
  (opening a FIFO blocks forever);
- yields a real file once, even when several arguments overlap.

A file named directly on the command line is the user's explicit choice and
is followed if it is a symlink.

Linux file names are bytes; Python shows the bytes that are not UTF-8 as lone
surrogates, which DuckDB (VARCHAR is UTF-8) and Arrow refuse. `uri_text`
writes those bytes as `\\xNN` escapes, so every name is storable and the
original bytes stay recoverable for all names that contain no literal
backslash-x sequence of their own.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path, PosixPath

_SURROGATE = re.compile("[\ud800-\udfff]")


class FoundPath(PosixPath):
    """A path the walk found, with what the reader must know about it.

    A `Path` subclass so callers that treat `discover()` results as paths
    keep working; paths derived from it (`.parent`) carry the defaults.
    """

    # (reason, detail) when the path must be quarantined rather than read.
    problem: tuple[str, str] | None = None
    # False for paths found by a walk: the reader opens them with O_NOFOLLOW,
    # so a file swapped for a symlink after the walk is not followed either.
    follow_links: bool = True

    def __reduce__(self):
        # Path pickles as its parts only; the verdicts must travel with it.
        return _found_again, (str(self), self.problem, self.follow_links)


def uri_text(text: str) -> str:
    """`text` (a path) as valid UTF-8: undecodable name bytes become `\\xNN`."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = text.encode("utf-8", "surrogateescape")  # bytes from os.fsdecode
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")  # lone surrogates from elsewhere
    return raw.decode("utf-8", "backslashreplace")


def storable_text(text: str) -> str:
    """`text` (a metadata value) as valid UTF-8: lone surrogates become U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)


def _found(path: str | Path, problem: tuple[str, str] | None = None, *, follow: bool = False) -> FoundPath:
    found = FoundPath(path)
    found.problem = problem
    found.follow_links = follow
    return found


def _found_again(path: str, problem: tuple[str, str] | None, follow: bool) -> FoundPath:
    return _found(path, problem, follow=follow)


def _inside(target: str, root_real: str) -> bool:
    return target == root_real or target.startswith(root_real.rstrip(os.sep) + os.sep)


def symlink_problem(link: str, root_real: str | None) -> tuple[str, str] | None:
    """Why a symlink must not be followed, or None when it stays inside `root_real`."""
    try:
        target = os.path.realpath(link, strict=True)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "symlink_loop", "symlink loop (too many levels of symbolic links); not followed"
        return "broken_symlink", f"symlink target is missing ({err.strerror}); not followed"
    if root_real is not None and not _inside(target, root_real):
        return "outside_root", uri_text(f"symlink to {target} leaves the source root {root_real}; not followed")
    return None


def _special_file_problem(mode: int) -> tuple[str, str]:
    kind = "FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "device or special file"
    return "not_a_regular_file", f"{kind}: only regular files are read"


def _list_folder(folder: str) -> list[os.DirEntry]:
    """A folder's entries by name; the seam tests use to simulate an unreadable folder."""
    with os.scandir(folder) as it:
        return sorted(it, key=lambda e: e.name)


def _walk(top: Path, root_real: str, seen: set[str]) -> Iterator[FoundPath]:
    """Files below `top` in os.walk's order (files of a folder, then its sorted subfolders)."""
    stack = [str(top)]
    while stack:
        folder = stack.pop()
        try:
            entries = _list_folder(folder)
        except OSError as err:
            yield _found(folder, ("unreadable", f"folder cannot be listed: {type(err).__name__}: {err.strerror}"))
            continue
        subfolders = []
        for entry in entries:
            real = os.path.join(root_real, os.path.relpath(entry.path, top))  # no links below top
            try:
                if entry.is_symlink():
                    problem = symlink_problem(entry.path, root_real)
                    if problem is not None:
                        yield _found(entry.path, problem)
                    continue  # in-root links are aliases: the walk reaches their target by its real name
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(entry.path)
                    continue
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as err:
                yield _found(entry.path, ("unreadable", f"{type(err).__name__}: {err.strerror}"))
                continue
            if real in seen:
                continue
            seen.add(real)
            yield _found(entry.path, None if stat.S_ISREG(mode) else _special_file_problem(mode))
        stack.extend(reversed(subfolders))


def discover_files(paths: Iterable[str | Path]) -> Iterator[FoundPath]:
    """Input files under the given files and folders, recursively, in a stable order."""
    seen: set[str] = set()
    for arg in paths:
        arg = Path(arg)
        if os.path.islink(arg):
            problem = symlink_problem(str(arg), None)
            if problem is not None:
                yield _found(arg, problem)
                continue
        real = os.path.realpath(arg)
        if os.path.isdir(arg):
            yield from _walk(arg, real, seen)
        elif real not in seen:
            seen.add(real)
            yield _found(arg, follow=True)
