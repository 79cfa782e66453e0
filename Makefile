# stance: `make demo` and `make test` are all a newcomer needs; both install on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.install-stamp
ANNOTATE_VENV := .venv-annotate
ANNOTATE_STAMP := $(ANNOTATE_VENV)/.install-stamp
ANNOTATE_LABELS := tests/fixtures/labels/demo.labels.jsonl
STANCE_DATA ?= $(if $(wildcard data),data,../shared/data)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export OMP_WAIT_POLICY := PASSIVE
export TOKENIZERS_PARALLELISM := false

.PHONY: help install test test-all demo bench bench-memory lint train-default train-segmenter eval-segmenter clean report-screenshot \
	annotate-check annotate-screenshot

help:  ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q "torch==2.13.0" || $(BIN)/python -m pip install -q "torch>=2.4,<2.15"
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## Create .venv/ and install stance with its dev tools

test: $(STAMP)  ## Run the test suite (slow tests excluded)
	STANCE_DATA=$(STANCE_DATA) $(BIN)/python -m pytest -q -m "not slow"

test-all: $(STAMP)  ## Run every test, slow ones included
	STANCE_DATA=$(STANCE_DATA) $(BIN)/python -m pytest -q

demo: $(STAMP)  ## Label the example thread with the default model and write a report
	mkdir -p out
	$(BIN)/stance parse examples/blog_thread.txt --output out/demo.threads.jsonl
	$(BIN)/stance label out/demo.threads.jsonl --output out/demo.labels.jsonl
	$(BIN)/stance report out/demo.labels.jsonl --threads out/demo.threads.jsonl --format html --output out/demo.report.html
	$(BIN)/stance report out/demo.labels.jsonl --threads out/demo.threads.jsonl --format md --output -

report-screenshot: $(STAMP)  ## Render the fixture report in headless Chromium: out/report.png
	mkdir -p out
	$(BIN)/stance report tests/fixtures/labels/demo.labels.jsonl --threads tests/fixtures/labels/demo.threads.jsonl --format html --output out/report.html
	$(BIN)/python -m stance.report.screenshot out/report.html out/report.png --size 1280,2400

bench: $(STAMP)  ## Throughput: naive pipeline vs stance label, parser MB/s (BENCH_ARGS="--model DIR")
	$(BIN)/python -m stance.bench $(BENCH_ARGS)

bench-memory: $(STAMP)  ## Peak RSS of stance label on 100,000 generated comments (tiny model)
	$(BIN)/python -m stance.bench --memory 100000

# Label Studio gets a virtualenv of its own, from the `annotate` extra's pins in pyproject.toml.
$(ANNOTATE_STAMP): pyproject.toml | $(STAMP)
	$(PYTHON) -m venv $(ANNOTATE_VENV)
	$(ANNOTATE_VENV)/bin/python -m pip install -q --upgrade pip
	$(BIN)/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["annotate"]))' > $(ANNOTATE_VENV)/requirements.txt
	$(ANNOTATE_VENV)/bin/python -m pip install -q -r $(ANNOTATE_VENV)/requirements.txt
	touch $(ANNOTATE_STAMP)

annotate-check: $(STAMP) $(ANNOTATE_STAMP)  ## The annotation loop against a real local Label Studio (installs it into .venv-annotate/)
	OMP_NUM_THREADS=$${OMP_NUM_THREADS:-2} $(BIN)/python -m stance.annotate.lscheck --server $(ANNOTATE_VENV)/bin/label-studio --labels $(ANNOTATE_LABELS) --workdir out/annotate-check

annotate-screenshot: $(STAMP) $(ANNOTATE_STAMP)  ## docs/labelstudio-labeling.png from the running server (needs node, chromium)
	npm install --prefix $(ANNOTATE_VENV)/node --no-audit --no-fund --silent playwright-core@1.65.2
	$(BIN)/python -m stance.annotate.lscheck --server $(ANNOTATE_VENV)/bin/label-studio --labels $(ANNOTATE_LABELS) --workdir out/annotate-check --no-train --screenshot docs/labelstudio-labeling.png

lint: $(STAMP)  ## ruff + mypy on stance/
	$(BIN)/ruff check stance tests
	$(BIN)/mypy stance

train-segmenter: $(STAMP)  ## Rebuild models/segmenter (the text segmenter's weights) from STANCE_DATA
	OMP_NUM_THREADS=1 $(BIN)/python -m stance.thread.segment.train --data $(STANCE_DATA) --output models/segmenter/weights.json

eval-segmenter: $(STAMP)  ## Site-disjoint scores of the text segmenter on STANCE_DATA/real_threads_dev
	OMP_NUM_THREADS=1 $(BIN)/python -m stance.thread.segment.evaluate --data $(STANCE_DATA) --output out/segmenter-metrics.json

train-default: $(STAMP)  ## Rebuild models/default from STANCE_DATA (recipe, stance-head refit, top-two-layer continuation)
	$(BIN)/python -m stance.train.recipe --data $(STANCE_DATA) --output models/default
	$(BIN)/python -m stance.train.refit models/default --data $(STANCE_DATA) --output models/default \
		--context --pad 0.5 --cache runs/default.refit_cache
	$(BIN)/python -m stance.train.recipe --data $(STANCE_DATA) --output runs/default.top2 \
		--base models/default --headline-fraction 0.4 --pad-neutral 0.5 \
		--pad-datasets arc,semeval2016,vast,pstance --no-eval \
		--set train_layers=2 --set epochs=1 --set epoch_examples=10000 --set lr=2e-5 \
		--set head_lr=1.5e-4 --set warmup_ratio=0.05 --set batch_size=32 --set max_length=256 \
		--set evals_per_epoch=1 --set patience=10 --set checkpoint_every_s=300 \
		--set distractor_target_p=0.7 --set teacher='"models/default"' \
		--set 'distill={"rumoureval2019":6.0,"pan2024":4.0,"prct":4.0,"comment_claims":4.0}' \
		--set 'dataset_weights={"babe":0.25,"comment_claims":3.0,"rumoureval2019":3.0,"arc":3.0,"semeval2016":1.5}' \
		--set model_version='"0.4.1"' \
		--set base_label='"stance-minilm@0.4.0, top two layers continued with padded rows"'
	cp runs/default.top2/model.safetensors runs/default.top2/stance_config.json \
		runs/default.top2/training_summary.json models/default/
	$(BIN)/stance evaluate $(STANCE_DATA) --model models/default -o models/default/dev_metrics.json
	$(BIN)/stance evaluate $(STANCE_DATA) --model models/default --quantize auto -o models/default/dev_metrics_int8.json

clean:  ## Remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache out
