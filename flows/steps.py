"""Plain functions the ingest flow orchestrates; tests call them without Prefect.

A run streams its inputs in chunks: each chunk is cleaned, fingerprinted,
matched against the warehouse (exact copies also against the chunks staged
before it), and staged as Parquet. After the last chunk, pairs among the
run's own documents are found in one pass (flows/run_pairs.py), clusters are
formed, and everything lands in one transaction. The warehouse is opened
only for as long as each phase needs it: DuckDB allows one writing process
per file, and a read-only and a writable connection cannot coexist in one
process.
"""

from __future__ import annotations

import functools
import json
import sys
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from cleaners.pipeline import Stage, clean_batch, default_stages
from cleaners.readers import discover, read_path
from cleaners.record import Document, Quarantined
from cleaners.version import RULES_VERSION
from dedup.clusters import Member
from dedup.config import DedupConfig
from dedup.fingerprint import fingerprint_stage
from dedup.scheme import check_band_params
from dedup.stage import ClusterResult, PairsResult, cluster_links, find_pairs
from flows.run_pairs import find_run_pairs
from flows.sources import SourceScan
from warehouse import source_state
from warehouse.connection import PAIRS_MEMORY_LIMIT, WarehouseError, connect, open_warehouse
from warehouse.load import RunInfo, land_staged, stage_chunk, stage_raw_inputs
from warehouse.lookup import WarehouseIndex
from warehouse.staging import Staging, live_runs, remove_stale, staging_root

CODE_VERSION = "0.1.0"
__all__ = ["find_run_pairs"]  # a step of the flow, in its own module


@dataclass
class RunCounters:
    n_inputs: int = 0  # input units read: files, JSONL records
    n_skipped: int = 0  # already landed (or staged earlier in this run)
    n_quarantined: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)  # files by change: new, changed, grown, unchanged, ...

    def timed(self, stage: str, seconds: float) -> None:
        self.stage_seconds[stage] = round(self.stage_seconds.get(stage, 0.0) + seconds, 3)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def start_run(db: str | Path, params: dict, cfg: DedupConfig | None = None) -> tuple[RunInfo, Staging]:
    """Migrate, clear what dead runs left, check the band parameters, and record the run as running.

    The run's params record the band parameters it fingerprints with.
    """
    cfg = cfg or DedupConfig()
    run = RunInfo(
        run_id=_now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8],
        started_at=_now(),
        rules_version=RULES_VERSION,
    )
    root = staging_root(db)
    remove_stale(root)
    staging = Staging(root, run.run_id)  # locked first: a running row always has a live lock
    try:  # a run refused here leaves neither a row nor a staging folder
        con = open_warehouse(db)
        try:
            check_band_params(con, cfg, str(db), run.run_id)
            _record_running(con, run, root, {**params, "dedup": cfg.band_params()})
        finally:
            con.close()
    except BaseException:
        staging.remove()
        raise
    return run, staging


def _record_running(con, run: RunInfo, root: Path, params: dict) -> None:
    """Mark runs whose process is gone abandoned, and this one running."""
    live = sorted(live_runs(root) - {run.run_id})
    con.execute(
        "UPDATE ops.runs SET status = 'abandoned', finished_at = ? "
        "WHERE status = 'running' AND NOT list_contains(?, run_id)",
        [_now(), live],
    )
    con.execute(
        "INSERT INTO ops.runs (run_id, started_at, status, params, code_version, rules_version) "
        "VALUES (?, ?, 'running', ?, ?, ?)",
        [run.run_id, run.started_at, json.dumps(params), CODE_VERSION, RULES_VERSION],
    )


def input_chunks(
    paths: Sequence[str | Path], chunk_size: int, counters: RunCounters
) -> Iterator[tuple[list[Document], list[Quarantined]]]:
    """Read every input under `paths` lazily, `chunk_size` documents at a time."""
    return chunk_units((item for path in discover(paths) for item in read_path(path)), chunk_size, counters)


def chunk_units(
    units: Iterable[Document | Quarantined], chunk_size: int, counters: RunCounters
) -> Iterator[tuple[list[Document], list[Quarantined]]]:
    """Group input units as they are read, `chunk_size` documents at a time."""
    docs: list[Document] = []
    quarantined: list[Quarantined] = []
    for item in units:
        counters.n_inputs += 1
        (quarantined if isinstance(item, Quarantined) else docs).append(item)
        if len(docs) >= chunk_size:
            yield docs, quarantined
            docs, quarantined = [], []
    if docs or quarantined:
        yield docs, quarantined


def open_sources(db: str | Path, paths: Sequence[str | Path], incremental: bool) -> SourceScan:
    """The run's sources with the state the last successful run recorded for them."""
    roots = [str(Path(p)) for p in paths]
    con = connect(db, read_only=True)
    try:
        known = source_state.load_state(con, roots)
    finally:
        con.close()
    return SourceScan(roots=roots, known=known, incremental=incremental)


def filter_new(
    docs: list[Document],
    db: str | Path,
    staging: Staging,
    counters: RunCounters,
    in_flight: Iterable[str] = (),
) -> list[Document]:
    """Drop documents already landed, staged earlier in this run, in an earlier
    chunk still being processed (`in_flight`), or repeated in the chunk."""
    con = connect(db, read_only=True)
    try:
        known = WarehouseIndex(con, staging).landed_doc_ids([d.doc_id for d in docs])
    finally:
        con.close()
    out, seen = [], set(known) | set(in_flight)
    for d in docs:
        if d.doc_id in seen:
            counters.n_skipped += 1
        else:
            seen.add(d.doc_id)
            out.append(d)
    return out


def batches(docs: Sequence[Document], size: int) -> list[list[Document]]:
    return [list(docs[i : i + size]) for i in range(0, len(docs), size)]


@functools.lru_cache(maxsize=8)  # the same tuple for the same config, so a cleaning worker is reused
def prepare_stages(cfg: DedupConfig) -> tuple[Stage, ...]:
    """The cleaning chain with fingerprinting as its last stage."""
    return (*default_stages(), functools.partial(fingerprint_stage, cfg=cfg))


def prepare_batch(docs: list[Document], cfg: DedupConfig) -> tuple[list[Document], list[Quarantined]]:
    """CPU-bound per-document work, all in the cleaning worker: clean, fingerprint, detect language."""
    # without raw: the flow staged it when it read the chunk (stage_raw)
    return clean_batch(docs, stages=prepare_stages(cfg), keep_raw=False)


def find_chunk_pairs(docs: list[Document], db: str | Path, staging: Staging, cfg: DedupConfig) -> PairsResult:
    """The chunk's exact copies (of landed or staged documents) and its pairs
    with landed documents; pairs among the run's own documents are found
    once, by find_run_pairs, after the last chunk."""
    con = connect(db, read_only=True, memory=PAIRS_MEMORY_LIMIT)
    try:
        return find_pairs(docs, WarehouseIndex(con, staging), cfg, among_new=False)
    finally:
        con.close()


def stage_raw(staging: Staging, run: RunInfo, docs: list[Document]) -> list[Document]:
    """The chunk's raw inputs, staged as it is read (an input that cleaning then
    quarantines does not land: the load keeps one only beside its document).

    Returns the documents to clean, JSONL records without their raw line (kept
    only as its sha256, which the staged row reuses): the cleaning reads their
    body, and the line would only be held here and sent to a worker for nothing."""
    light = [d.without_raw() if d.body is not None else d for d in docs]
    stage_raw_inputs(staging, run, docs, [d.raw_sha256 for d in light])
    return light


def stage(
    staging: Staging,
    run: RunInfo,
    docs: list[Document],
    quarantined: list[Quarantined],
    found: PairsResult,
    counters: RunCounters,
) -> None:
    counters.n_quarantined += len(quarantined)
    stage_chunk(staging, run, docs, quarantined, found)


def cluster_run(db: str | Path, staging: Staging, run: RunInfo) -> ClusterResult:
    """Clusters over the run's exact and near pairs, joining landed clusters."""
    pairs_glob, docs_glob = staging.glob("pairs"), staging.glob("documents")
    if pairs_glob is None or docs_glob is None:
        return ClusterResult((), ())
    con = connect(db, read_only=True, memory=PAIRS_MEMORY_LIMIT)
    try:
        links = con.execute(
            "SELECT doc_id_a, doc_id_b FROM read_parquet(?) WHERE kind <> 'overlap' ORDER BY ALL", [pairs_glob]
        ).fetchall()
        linked = pa.table({"doc_id": pa.array(sorted({x for link in links for x in link}), pa.string())})
        con.register("q_linked", linked)  # a join, not list_contains(?, doc_id) with every linked id
        rows = con.execute(
            "SELECT doc_id, strftime(published_at, '%Y-%m-%dT%H:%M:%S'), length(clean_text) "
            "FROM read_parquet(?) SEMI JOIN q_linked USING (doc_id) ORDER BY doc_id",
            [docs_glob],
        ).fetchall()
        con.unregister("q_linked")
        new_members = [Member(r[0], r[1], run.started_at, r[2]) for r in rows]
        return cluster_links([tuple(x) for x in links], new_members, WarehouseIndex(con))
    finally:
        con.close()


def finish_run(
    db: str | Path,
    run: RunInfo,
    staging: Staging,
    clusters: ClusterResult,
    counters: RunCounters,
    sources: SourceScan | None = None,
) -> dict[str, int]:
    """Land everything and close the run row, in one transaction; then record the source state.

    The state goes in its own transaction right after the load commits: if
    the process dies between the two, the next run re-reads those files and
    lands nothing twice.
    """
    if sources is not None:
        counters.sources = sources.summary()
    canonical = {c.canonical_doc_id for c in clusters.clusters}
    n_dup = sum(1 for c in clusters.clusters for m in c.members if m not in canonical)
    totals = {
        "n_inputs": counters.n_inputs,
        "n_duplicates": n_dup,
        "n_quarantined": counters.n_quarantined,
        "n_skipped": counters.n_skipped,
        "summary": json.dumps({"stage_seconds": counters.stage_seconds, "sources": counters.sources}),
    }
    clock = time.perf_counter()
    con = connect(db)
    locked = time.perf_counter()  # the writer's file lock is held from here to close
    try:
        counts = land_staged(con, run, staging, clusters, totals)
        if sources is not None:
            source_state.record(con, run.run_id, _now(), sources.updates, sources.missing())
        # the load's own time (lock wait included) can only be known after it: added to the summary now
        now = time.perf_counter()
        stages = {**counters.stage_seconds, "load": round(now - clock, 3)}
        summary = {"stage_seconds": stages, "lock_held_s": round(now - locked, 3), "sources": counters.sources}
        con.execute("UPDATE ops.runs SET summary = ? WHERE run_id = ?", [json.dumps(summary), run.run_id])
        return counts
    finally:
        con.close()


def fail_run(db: str | Path, run: RunInfo, error: BaseException, counters: RunCounters) -> None:
    """Mark the run failed, if the warehouse can be written soon.

    The run's own error is what the caller reports; a warehouse that is
    locked or broken must not replace it. The row then stays `running` until
    the next run marks it `abandoned` (its staging lock is gone by then).
    """
    try:
        con = connect(db, retries=2)
    except WarehouseError as err:
        print(f"sift: could not mark run {run.run_id} failed: {err}", file=sys.stderr)
        return
    try:
        con.execute(
            "UPDATE ops.runs SET finished_at = ?, status = 'failed', error = ?, summary = ? WHERE run_id = ?",
            [_now(), f"{type(error).__name__}: {error}", json.dumps(asdict(counters)), run.run_id],
        )
    finally:
        con.close()
