"""The band rows of everything a run staged, for one self-join at the end of the run.

Joining each chunk's bands with every chunk staged before it re-read the
staged bands once per chunk: the work grew with the square of a run's size
(a 1M-document run spent 3,008 of its 3,719 s finding pairs). Instead each
chunk's rows are appended here, split by band hash into `PARTITIONS` files
(a bucket, one band hash, lies in one partition), and `run_matches` joins
the whole run once, one partition in memory at a time. On the 100k bench
warehouse's 13.5M band rows, all at once: 12 CPU-s and 1.1 GB more memory;
a partition holds 1/256 of that.

Documents are numbered in the order they are appended; their ids and word
counts are kept in memory (one id string per document, as Arrow).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dedup.config import DedupConfig
from dedup.new_pairs import BucketLinks, bucket_links, passing_pairs

# Powers of two, at most 256: partitions and parts are sorted by a uint8 key.
# The 1M bench run's 134.7M band rows, joined alone (their pairs identical):
# 64 partitions and 16 parts peaked 762-863 MB above a 103 MB base, in
# 87-90 CPU-s; 256 and 64, 375-389 MB in 65-70 CPU-s (each partition's
# bucket pairs and each part's paragraph links are a quarter the size).
PARTITIONS = 256  # the partition is the band hash's low bits
SPILL_PARTS = 64  # see _SideSpill
ROW = np.dtype([("band_hash", "<i8"), ("doc", "<i4"), ("para", "<i4"), ("band", "<i2"), ("words", "<i4")])


class RunBands:
    """Append-only partitioned band rows of one run, under `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._ids: list[pa.Array] = []
        self._doc_words: list[np.ndarray] = []
        self.n_docs = 0
        self.para_span = 1  # above every paragraph number appended
        self.n_rows = 0

    def append(self, bands: pa.Table) -> None:
        """One chunk's band rows (dedup.bands.QUERY_SCHEMA); each document's
        rows must all be in one call, and a document in one call only."""
        if bands.num_rows == 0:
            return
        encoded = pc.dictionary_encode(bands.column("doc_id").combine_chunks())
        local = encoded.indices.to_numpy()
        doc_words = np.zeros(len(encoded.dictionary), dtype=np.int64)
        doc_words[local] = bands.column("doc_words").to_numpy()
        band_hash = bands.column("band_hash").to_numpy()
        # rows in partition order, so each partition's are one slice (a uint8
        # key sorts by radix: 0.08 -> 0.01 s for 676k rows)
        order = np.argsort((band_hash & (PARTITIONS - 1)).astype(np.uint8), kind="stable")
        rows = np.empty(bands.num_rows, dtype=ROW)
        rows["band_hash"] = band_hash[order]
        rows["doc"] = local[order] + self.n_docs
        rows["para"] = bands.column("para_no").to_numpy()[order]
        rows["band"] = bands.column("band").to_numpy()[order]
        rows["words"] = bands.column("words").to_numpy()[order]
        self._ids.append(encoded.dictionary)
        self._doc_words.append(doc_words)
        self.n_docs += len(encoded.dictionary)
        self.para_span = max(self.para_span, int(rows["para"].max()) + 1)
        self.n_rows += len(rows)
        bounds = np.searchsorted(rows["band_hash"] & (PARTITIONS - 1), np.arange(PARTITIONS + 1))
        for p in range(PARTITIONS):
            if bounds[p] < bounds[p + 1]:
                with open(self._path(p), "ab") as f:
                    rows[bounds[p] : bounds[p + 1]].tofile(f)

    def _path(self, p: int) -> Path:
        return self.folder / f"partition-{p:03d}.bin"

    def partitions(self):
        """Each partition's rows, one at a time."""
        for p in range(PARTITIONS):
            path = self._path(p)
            if path.exists():
                yield np.fromfile(path, dtype=ROW)

    def ids(self) -> pa.Array:
        return pa.concat_arrays(self._ids) if self._ids else pa.array([], pa.string())

    def doc_words(self) -> np.ndarray:
        return np.concatenate(self._doc_words) if self._doc_words else np.zeros(0, dtype=np.int64)


def run_matches(run: RunBands, cfg: DedupConfig, cover: float) -> set[tuple[str, str]]:
    """Pairs (a < b by id) of the run's documents that share a document band, or
    paragraph bands passing new_pairs' paragraph rules: what new_new_matches
    gives for all the run's rows at once (tests/test_run_bands.py)."""
    if run.n_rows == 0:
        return set()
    whole, sides = [], _SideSpill(run.folder / "sides", run.para_span)
    for r in run.partitions():
        links = bucket_links(r["doc"], r["para"], r["band"], r["band_hash"], r["words"], run.n_docs, run.para_span)
        whole.append(links.whole)
        sides.add(links)
    doc_words = run.doc_words()
    keys = [np.unique(np.concatenate(whole))]
    keys += [passing_pairs(links, doc_words, run.para_span, cfg, cover) for links in sides.parts()]
    found = np.unique(np.concatenate(keys))
    ids = run.ids()
    x = ids.take(pa.array(found // run.n_docs)).to_pylist()
    y = ids.take(pa.array(found % run.n_docs)).to_pylist()
    return {(a, b) if a < b else (b, a) for a, b in zip(x, y, strict=True)}


SIDE = np.dtype([("key", "<i8"), ("words", "<i4")])


class _SideSpill:
    """The band partitions' paragraph links, regrouped on disk by document pair.

    A pair's paragraphs meet in many band partitions and must be counted
    together; at 100k documents the links are 5.7M side keys, nearly all of
    pairs sharing one boilerplate paragraph, so a 1M run's would not fit
    beside the rest. Split by pair key into SPILL_PARTS files, each part
    holds every link of its pairs and is counted alone.
    """

    def __init__(self, folder: Path, para_span: int) -> None:
        self.folder, self.para_span = folder, para_span
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.bin"):  # a retried step starts over
            old.unlink()

    def add(self, links: BucketLinks) -> None:
        for side, keys, words in (("a", links.side_a, links.words_a), ("b", links.side_b, links.words_b)):
            part = (keys // self.para_span) % SPILL_PARTS
            order = np.argsort(part.astype(np.uint8), kind="stable")
            rows = np.empty(len(keys), dtype=SIDE)
            rows["key"], rows["words"] = keys[order], words[order]
            bounds = np.searchsorted(part[order], np.arange(SPILL_PARTS + 1))
            for q in range(SPILL_PARTS):
                if bounds[q] < bounds[q + 1]:
                    with open(self.folder / f"{side}-{q:02d}.bin", "ab") as f:
                        rows[bounds[q] : bounds[q + 1]].tofile(f)

    def parts(self):
        none = np.zeros(0, np.int64)
        for q in range(SPILL_PARTS):
            a, b = self.folder / f"a-{q:02d}.bin", self.folder / f"b-{q:02d}.bin"
            if a.exists():  # both sides hold the same pairs, so b does too
                a_rows, b_rows = np.fromfile(a, dtype=SIDE), np.fromfile(b, dtype=SIDE)
                yield BucketLinks(none, a_rows["key"], a_rows["words"], b_rows["key"], b_rows["words"])
