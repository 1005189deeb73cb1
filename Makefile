# sift: `make demo` and `make test` bootstrap everything from a bare Python 3.11:
# a private uv in .bootstrap/, then the locked environment in .venv/.
PYTHON ?= python3
UV_VERSION := 0.13.8
BOOT := .bootstrap
UV := $(BOOT)/bin/uv
DB ?= sift.duckdb
export PREFECT_HOME ?= $(CURDIR)/.prefect

.PHONY: install demo test test-fast lint format clean bench bench-ingest bench-dedup eval

$(UV):
	$(PYTHON) -m venv $(BOOT)
	$(BOOT)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: write every dependency's .pyc once, at install. Where
# PYTHONDONTWRITEBYTECODE is set (this machine) nothing else does, and every
# process compiled Prefect from source: its temporary server took 11 s to import
# instead of 6.6, and `make demo` 26-29 s instead of 20-21.
.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --locked --quiet --compile-bytecode
	@touch $@

# Prefect's database, created and migrated once here rather than by the first
# flow run (it made the first `make demo` of a checkout ~20 s slower).
$(PREFECT_HOME)/prefect.db: .venv/.synced
	$(UV) run --no-sync prefect server database upgrade -y > /dev/null
	@touch $@  # an upgrade with nothing to do leaves it older than .synced: it would rerun every time

# The compiled loops (numba: fingerprinting, langdetect's trials), compiled once
# here and cached in __pycache__ beside their source: otherwise the first
# process that uses them compiles them (~3 s).
KERNELS := dedup/kernels.py dedup/set_kernels.py cleaners/langdetect_trials.py
.venv/.kernels-warm: $(KERNELS) .venv/.synced
	$(UV) run --no-sync python -m dedup.kernels
	$(UV) run --no-sync python -m dedup.set_kernels
	$(UV) run --no-sync python -m cleaners.langdetect_trials
	@touch $@

install: .venv/.synced $(PREFECT_HOME)/prefect.db .venv/.kernels-warm

demo: install
	$(UV) run sift ingest examples/corpus --db $(DB)
	@echo
	@echo "-- documents --"
	$(UV) run sift sql --db $(DB) "SELECT source, lang, round(lang_score, 2) AS p, n_removed_lines AS removed, is_canonical, left(title, 40) AS title FROM documents ORDER BY source_uri"
	@echo "-- lines removed, by rule --"
	$(UV) run sift sql --db $(DB) "SELECT rule, count(*) AS n FROM removed_lines GROUP BY rule ORDER BY n DESC, rule"
	@echo "-- similar pairs --"
	$(UV) run sift sql --db $(DB) "SELECT a.source_uri AS a, b.source_uri AS b, p.kind, round(p.jaccard, 2) AS jaccard, round(p.containment_a, 2) AS cont_a FROM similar_pairs p JOIN documents a ON a.doc_id = p.doc_id_a JOIN documents b ON b.doc_id = p.doc_id_b ORDER BY p.kind, a"

test: install
	$(UV) run pytest -q --durations=15

test-fast: install
	$(UV) run pytest -q -m "not slow and not prefect"

# Benchmarks and evaluations read public data from $(SHARED); they write bench/out/.
SHARED ?= ../shared
BENCH_SIZES ?= 10000,100000

BENCH_N ?= 100000
BENCH_WORK ?= $(CURDIR)/.bench
# datatrove runs only in a throw-away environment, never the project's
DATATROVE := --with datatrove --with tokenizers --with "xxhash<4" --with spacy

bench: bench-ingest bench-dedup

bench-ingest: install
	$(UV) run python bench/bench_ingest.py --shared $(SHARED) --sizes $(BENCH_SIZES) --incremental

bench-dedup: install
	mkdir -p bench/out/dedup
	$(UV) run python -m bench.corpus $(BENCH_WORK)/dedup --n $$(( $(BENCH_N) + 1000 )) --seed 3
	$(UV) run python -m bench.bench_dedup all $(BENCH_WORK)/dedup --n $(BENCH_N) --work $(BENCH_WORK) --out bench/out/dedup
	$(UV) run $(DATATROVE) python -m bench.bench_datatrove $(BENCH_WORK)/dedup --n $(BENCH_N) --tokenizer both --work $(BENCH_WORK)/datatrove > bench/out/dedup/datatrove.json
	$(UV) run python -m bench.dedup_report bench/out/dedup
	$(UV) run python -m bench.dedup_scurve --pairs 2000 --markdown --png docs/dedup_scurve.png > bench/out/dedup/scurve.md

eval: install
	$(UV) run python bench/eval_extraction.py --shared $(SHARED)
	$(UV) run python bench/eval_plaintext.py --shared $(SHARED)
	$(UV) run python bench/eval_encoding.py --shared $(SHARED)
	$(UV) run python bench/eval_language.py --shared $(SHARED)

lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .

format: install
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

clean:
	rm -rf .venv $(BOOT) .prefect .pytest_cache .ruff_cache
