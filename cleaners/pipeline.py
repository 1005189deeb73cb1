"""The cleaning chain for one document, and for a batch, under a time limit.

decode -> repair -> HTML shape check -> extract main content -> line-length
check -> line rules -> dates, title -> language. A stage that rejects a
record raises `InputRejected`; the chain turns it into a `Quarantined` value
so the batch (and the run) goes on. With a per-document time limit
(`Limits.doc_timeout_seconds`, the default) a batch runs in a worker process
that is killed when a document overruns it (cleaners/worker.py says why only
a process will do).
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Iterable, Sequence

from cleaners.dates import normalize_dates
from cleaners.decode import decode_document
from cleaners.errors import InputRejected
from cleaners.html_extract import extract_document
from cleaners.language import detect_document
from cleaners.limits import DEFAULT_LIMITS, Limits, check_html_shape, check_line_lengths
from cleaners.lines import apply_line_rules
from cleaners.record import KIND_HTML, Document, Quarantined, without_intermediates
from cleaners.repair import repair_document
from cleaners.title import infer_title
from cleaners.worker import Stage, quarantine_of
from cleaners.worker_pool import clean_in_worker


@functools.lru_cache(maxsize=16)  # the same limits give the same tuple, so a worker is reused
def default_stages(limits: Limits = DEFAULT_LIMITS) -> tuple[Stage, ...]:
    """The chain before language detection, with the limit checks bound to `limits`.

    Partials of module-level functions, so the tuple pickles to a worker.
    """
    return (
        decode_document,
        repair_document,
        functools.partial(check_html_shape, limits=limits),
        extract_document,
        functools.partial(check_line_lengths, limits=limits),
        apply_line_rules,
        normalize_dates,
        infer_title,
    )


STAGES = default_stages()


def _stage_name(stage: Stage) -> str:
    return getattr(stage, "__name__", None) or getattr(getattr(stage, "func", None), "__name__", repr(stage))


def _run_stage(stage: Stage, doc: Document) -> Document | Quarantined:
    try:
        return stage(doc)
    except InputRejected as err:
        return quarantine_of(doc, err.reason, err.detail)
    except RecursionError:
        return quarantine_of(doc, "stage_error", f"{_stage_name(stage)}: input nested too deeply (RecursionError)")
    except Exception as err:  # one record's bug must not fail the run
        # Quarantined, not swallowed: the reason and the failing frame are in
        # the warehouse, where `quarantine_by_reason` shows them.
        where = traceback.extract_tb(err.__traceback__)[-1]
        detail = f"{_stage_name(stage)}: {type(err).__name__}: {err} (at {where.filename}:{where.lineno})"
        return quarantine_of(doc, "stage_error", detail[:2000])


def clean_document(doc: Document, stages: Sequence[Stage] | None = None) -> Document | Quarantined:
    """Run `stages` (default: the full chain), then language detection; never raises for the document's sake."""
    for stage in STAGES if stages is None else stages:
        doc_or_q = _run_stage(stage, doc)
        if isinstance(doc_or_q, Quarantined):
            return doc_or_q
        doc = doc_or_q
    if not doc.clean_text.strip():
        # Everything was chrome: keep the evidence in the quarantine detail.
        rules = sorted({r.rule for r in doc.removed})
        detail = f"no text left after cleaning ({len(doc.removed)} lines removed by {rules or 'none'})"
        return quarantine_of(doc, "empty_after_cleaning", detail)
    return _run_stage(detect_document, doc)


def _clean_in_process(docs: Iterable[Document], stages: Sequence[Stage]) -> list[Document | Quarantined]:
    return [clean_document(doc, stages) for doc in docs]


# Cleaned by every new worker before it reports ready: the first extraction
# and language detection load trafilatura's and langdetect's data (~1-2 s),
# which must not count against the first real document's time limit.
WARM_UP = Document(
    doc_id="warm-up",
    source_uri="sift:warm-up",
    source="sift",
    body_kind=KIND_HTML,
    raw=b"<html lang='en'><body><article><p>The harbour opened at dawn and the first boats came in "
    b"with the morning catch, as they have every day this season.</p></article></body></html>",
)


def clean_batch(
    docs: Iterable[Document],
    limits: Limits = DEFAULT_LIMITS,
    stages: Sequence[Stage] | None = None,
    keep_raw: bool = True,
) -> tuple[list[Document], list[Quarantined]]:
    """Clean every document; each comes back exactly once, kept or quarantined.

    With `limits.doc_timeout_seconds` set (the default) the batch runs in a
    worker process under that limit; with None, in this process. `stages`
    replaces the chain (tests inject a hanging stage here). Kept documents
    come back without the intermediate `body` and `text` either way, and
    without `raw` when `keep_raw` is off (the ingest staged it when it read them).
    """
    stages = tuple(default_stages(limits) if stages is None else stages)
    timeout = limits.doc_timeout_seconds
    in_worker = timeout is not None
    results = clean_in_worker(docs, stages, timeout, keep_raw) if in_worker else _clean_in_process(docs, stages)
    kept = [without_intermediates(r, keep_raw) for r in results if isinstance(r, Document)]
    quarantined = [r for r in results if isinstance(r, Quarantined)]
    return kept, quarantined
