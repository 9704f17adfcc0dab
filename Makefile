# detente: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DB     ?= detente.duckdb
SEEDS  ?= ../shared/corpus/seeds

.PHONY: install demo test lint eval bench browsers clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[web,test,dask]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	rm -f $(DB)
	$(BIN)/detente ingest examples/ --db $(DB) --no-progress
	$(BIN)/detente summary --db $(DB)

test: install browsers
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests benchmarks eval
	$(BIN)/mypy   # options and files in pyproject.toml [tool.mypy]

NGEC   ?= ../shared/corpus/ngec-synthetic/gpt_synthetic_events_2023-10-19_19.csv.zip
SAMPLE ?= 30

eval: install
	@if [ -d $(SEEDS) ]; then $(BIN)/detente evaluate eval/seeds.gold.yaml $(SEEDS); \
	else echo "eval: $(SEEDS) not found (the seed articles live beside the repo)"; fi
	$(BIN)/detente evaluate eval/examples.gold.yaml examples/
	$(BIN)/python eval/dev_scores.py eval/dev
	for part in tune heldout; do $(BIN)/python eval/generic_actors.py eval/dev/$$part.gold.yaml eval/dev/$$part; done
	$(BIN)/python eval/ngec.py $(NGEC) --sample $(SAMPLE)   # SAMPLE= (empty) scores all 4,500

ARTICLES ?= 10000

# throughput against bare spaCy, start-up to the first document, then queries and routes on a
# store of $(ARTICLES) articles (ARTICLES=300 for a quick look)
bench: install
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/queries.py --articles $(ARTICLES)

# Debian's chromium for the browser tests (never a browser downloaded by a tool)
browsers:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "browsers: chromium missing and not root; browser tests will be skipped"; fi; }

clean:
	rm -rf $(VENV) $(DB) .pytest_cache .ruff_cache
