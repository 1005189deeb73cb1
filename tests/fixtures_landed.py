"""A small corpus written by the tests, and a run of the flow's plain steps
over it without Prefect (the same order of calls as flows/ingest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from dedup.config import DedupConfig
from flows import learned, steps

EN = (
    "The harbour authority opened a new ferry terminal on Monday after three years of construction work.\n"
    "Read more: Fishermen protest new quota rules\n"
    "Officials said the terminal would double the number of passengers the port can handle each summer.\n"
    "Local shop owners hope the extra visitors will bring business to the old town during the quiet months.\n"
)
ID = (
    "Pemerintah kota meresmikan terminal feri baru pada hari Senin setelah tiga tahun pembangunan.\n"
    "Baca: Nelayan memprotes aturan kuota baru\n"
    "Pejabat mengatakan terminal itu akan menggandakan jumlah penumpang yang dapat dilayani pelabuhan.\n"
    "Para pemilik toko berharap tambahan pengunjung akan membawa rezeki bagi kawasan kota tua.\n"
)
EN_2 = (
    "A heavy storm closed the mountain pass overnight and left hundreds of drivers waiting in their cars.\n"
    "Road crews cleared fallen trees from the highway while police escorted trucks down the slope.\n"
    "The weather service expects more snow at the end of the week and advises people to stay at home.\n"
)


def write_corpus(folder: Path) -> Path:
    """Seven inputs: 5 documents (an exact copy among them), 2 quarantined."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "en_ferry.txt").write_text(EN, encoding="utf-8")
    (folder / "en_ferry_copy.txt").write_text(EN.upper(), encoding="utf-8")  # exact after normalisation
    (folder / "id_ferry.txt").write_text(ID, encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not supported")
    records = [
        {"text": EN_2, "url": "https://example.org/storm", "published_at": "2024-01-05T08:00:00Z"},
        {"text": ID.replace("Senin", "Selasa"), "lang": "id"},
    ]
    lines = [json.dumps(r) for r in records] + ["{not json"]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def land_folder(db: str | Path, paths: list[str | Path], chunk_size: int = 1000, batch_size: int = 200) -> str:
    """Ingest `paths` into `db` with the plain step functions; returns the run id."""
    cfg = DedupConfig()
    counters = steps.RunCounters()
    run, staging = steps.start_run(db, {"paths": [str(p) for p in paths]})
    try:
        for docs, rejected in steps.input_chunks(paths, chunk_size, counters):
            docs = steps.filter_new(docs, db, staging, counters)
            docs = learned.with_source_stats(docs, db)
            docs = steps.stage_raw(staging, run, docs)
            kept, quarantined = [], list(rejected)
            for batch in steps.batches(docs, batch_size):
                batch_kept, batch_rejected = steps.prepare_batch(batch, cfg)
                kept.extend(batch_kept)
                quarantined.extend(batch_rejected)
            found = steps.find_chunk_pairs(kept, db, staging, cfg)
            steps.stage(staging, run, kept, quarantined, found, counters)
        steps.find_run_pairs(db, staging, run, cfg)
        clusters = steps.cluster_run(db, staging, run)
        steps.finish_run(db, run, staging, clusters, counters)
    except Exception as err:
        steps.fail_run(db, run, err, counters)
        raise
    finally:
        staging.remove()
    return run.run_id
