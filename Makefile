# vod-testbed: the daily verbs. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
# Python caches compiled modules (and pytest its assertion-rewritten tests) in __pycache__;
# a machine that sets PYTHONDONTWRITEBYTECODE makes every process, every test worker and
# every subprocess compile the project from source again (10 s of collection instead of 5).
unexport PYTHONDONTWRITEBYTECODE
.PHONY: help install dev test test-fast test-system-ffmpeg test-postgresql fuzz lint lint-template docs fmt bench fixtures lambda-package deploy-render clean

# Which ffmpeg the tests use: empty (the project's policy: FFMPEG_BINARY, PATH, the wheel's),
# wheel, system (ffmpeg on PATH, e.g. Debian 12's 5.1) or a path. CI runs `make test
# TEST_FFMPEG=wheel`, then `make test-system-ffmpeg`.
TEST_FFMPEG ?=
export TEST_FFMPEG
# The tests that depend on the ffmpeg build: every fixture made by it, every uploaded shape
# and awkward source through the FFmpeg backend, each output validated, and the policies both
# backends resolve alike (the transcoder contract).
FFMPEG_E2E_TESTS := tests/fixtures tests/backends/ffmpeg tests/contract/test_transcoder_contract.py

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-20s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints-dev.txt -e '.[dev]'
	@touch $(STAMP)

HLS_JS := vod_testbed/pipeline/console/static/vendor/hls.min.js vod_testbed/pipeline/console/static/vendor/dash.all.min.js

# The console's players: the pinned hls.js and dash.js from the npm registry, integrity-checked.
$(HLS_JS): vod_testbed/pipeline/console/vendor.py vod_testbed/cli/player.py | $(STAMP)
	$(BIN)/vod-testbed fetch-player --cache .cache/npm

install: $(STAMP) $(HLS_JS) ## Create .venv, install the project with its dev tools, fetch hls.js and dash.js

dev: $(STAMP) $(HLS_JS) ## Start the local stack (embedded S3 unless S3_ENDPOINT_URL is set)
	$(BIN)/vod-testbed dev

# Every suite runs on every core, with one test worker more than there are cores
# (pytest-xdist; --dist loadfile in pyproject.toml keeps a file's tests, and those sharing a
# costly session fixture, on one worker): a worker waiting on a server, a browser or a
# subprocess leaves a core idle, which the extra worker fills (on 2 cores `make test` took
# 5:06 with 3 workers where it took 5:23 to 5:29 with 2). `pytest -n 0` runs serially.
XDIST := -n $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')

test: $(STAMP) $(HLS_JS) ## Run the whole test suite (unit, contract, end-to-end) on every core
	$(BIN)/pytest $(XDIST)

test-fast: $(STAMP) ## The inner loop (about 30 s on 2 cores): no transcoding, fuzzing or packaging, every core; `make test` runs all
	$(BIN)/pytest -m "not e2e and not fuzz and not packaging" $(XDIST)

test-system-ffmpeg: $(STAMP) ## Run the tests that transcode again with the system's ffmpeg (Debian 12: 5.1)
	TEST_FFMPEG=system $(BIN)/pytest $(XDIST) -m e2e $(FFMPEG_E2E_TESTS)

test-postgresql: $(STAMP) $(HLS_JS) ## Run the pipeline's tests again on a throwaway PostgreSQL server (needs Debian's postgresql)
	TEST_DATABASE=postgresql $(BIN)/pytest $(XDIST) tests/pipeline

fuzz: $(STAMP) ## Property-based fuzzing at the full budgets (Hypothesis, derandomized; `make test` tries a fifth of each)
	FUZZ_BUDGET=full $(BIN)/pytest -m fuzz $(XDIST)

lint: $(STAMP) ## ruff + mypy + import-linter (the layering of docs/ARCHITECTURE.md) + cfn-lint on staging's template + the Dockerfile and compose file + the docs site and its links
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy vod_testbed tests
	$(BIN)/lint-imports
	$(MAKE) --no-print-directory lint-template
	PATH="$(CURDIR)/$(BIN):$$PATH" .ci/lint-containers
	$(MAKE) --no-print-directory docs
	PATH="$(CURDIR)/$(BIN):$$PATH" .ci/check-links

# NO_MKDOCS_2_WARNING: mkdocs-material's banner about its successor, printed on every build.
docs: $(STAMP) ## Build the documentation site from docs/ into site/ (mkdocs, every warning an error)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# cfn-lint on staging's template as rendered without a CDN, for a CloudFront host and for a
# custom host (with its certificate).
CFN_DIR := .cache/cfn
CFN_ENV := env -u PLAYBACK_BASE_URL S3_BUCKET=media-staging PIPELINE_WEBHOOK_URL=https://pipeline.example.com
lint-template: $(STAMP)
	$(CFN_ENV) $(BIN)/vod-testbed deploy render --out $(CFN_DIR)/plain >/dev/null
	$(CFN_ENV) PLAYBACK_BASE_URL=https://d111111abcdef8.cloudfront.net $(BIN)/vod-testbed deploy render --out $(CFN_DIR)/cloudfront >/dev/null
	$(CFN_ENV) PLAYBACK_BASE_URL=https://media.example.com $(BIN)/vod-testbed deploy render --out $(CFN_DIR)/custom-host >/dev/null
	$(BIN)/cfn-lint $(CFN_DIR)/plain/template.json $(CFN_DIR)/cloudfront/template.json $(CFN_DIR)/custom-host/template.json

fmt: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) ## Benchmarks: FFmpeg backend vs hand-written ffmpeg; emulator under load; playback; GET /videos/{id} under 8 clients; the stack's costs; chunk-signed S3 PUTs; I-frame playlists of a 1-hour ladder; CMAF against TS packaging
	$(BIN)/python -m tests.bench.bench_ladder
	$(BIN)/python -m tests.bench.bench_emulator
	$(BIN)/python -m tests.bench.bench_playback
	$(BIN)/python -m tests.bench.bench_video_api
	$(BIN)/python -m tests.bench.bench_stack
	$(BIN)/python -m tests.bench.bench_s3_chunked
	$(BIN)/python -m tests.bench.bench_iframes
	$(BIN)/python -m tests.bench.bench_cmaf

fixtures: $(STAMP) ## Generate (and cache) the test media
	$(BIN)/vod-testbed fixtures

lambda-package: $(STAMP) ## Build the upload-trigger Lambda zip (dist/lambda-upload-trigger.zip)
	$(BIN)/vod-testbed deploy package --out dist/lambda-upload-trigger.zip

deploy-render: $(STAMP) ## Render staging's CloudFormation template (docs/aws-staging.md) into dist/staging/template.json
	$(BIN)/vod-testbed deploy render --out dist/staging

clean: ## Remove the virtualenv, caches, generated media and build output
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache .import_linter_cache *.egg-info build dist site
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
