# The README's two promises: `make run` and `make test`, on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The exact versions of every dependency are in uv.lock (`uv lock` after changing pyproject.toml; uv from
# PyPI, pinned here); `make` installs from the lock alone, so two installs a month apart are the same.
UV_VERSION := 0.13.9
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml uv.lock | cksum | cut -d' ' -f1)

.PHONY: browser explore explore-check lock install run test test-fast lint schema-lint neo4j-start neo4j-stop demo serve schema bench-import clean

# uv sync --frozen: the lock as committed, never re-resolved; --inexact: keep uv itself, not in the lock.
$(STAMP): pyproject.toml uv.lock
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'uv==$(UV_VERSION)'
	$(BIN)/uv sync --quiet --frozen --inexact --extra dev
	rm -f $(VENV)/.installed-* && touch $@

# Re-resolve uv.lock after a change of dependencies in pyproject.toml (then commit both).
lock: $(STAMP)
	$(BIN)/uv lock

install: $(STAMP)
	$(BIN)/graph-api neo4j install

# Neo4j on 127.0.0.1:7687 (data in .neo4j/run), the demo city, GraphQL on http://127.0.0.1:8000/graphql
run: install
	$(BIN)/graph-api neo4j start
	mkdir -p var
	$(BIN)/graph-api import --demo --rejects var/demo-rejects.jsonl
	$(BIN)/graph-api serve

# The browser tests drive Debian's chromium (Playwright, its Python package, talks to it; it downloads no
# browser of its own). Installed with apt-get when missing: that needs root, or run it yourself once.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v chromium >/dev/null || { echo "Debian's chromium is required: apt-get install chromium"; exit 1; }
	@# A Chinese font, so that the workbench's screenshots (tests/test_explore.py) are readable.
	@fc-list :lang=zh 2>/dev/null | grep -q . || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei \
	  || echo "no Chinese font: the browser tests pass, their screenshots show boxes (apt-get install fonts-wqy-microhei)"

# The workbench at /explore: built from tools/explore (pinned npm dependencies, esbuild) into
# graph_api/api/static/explore, which is committed, so that `make run` and the wheel need no npm. `explore`
# rebuilds it after a change to tools/explore/src; `explore-check` rebuilds into a scratch folder and fails when
# the committed output differs from what the sources and the lock build.
explore:
	tools/explore/build.sh

explore-check:
	@scratch=$$(mktemp -d) && tools/explore/build.sh "$$scratch" && diff -r "$$scratch" graph_api/api/static/explore \
	  && echo "graph_api/api/static/explore is what tools/explore builds"; status=$$?; rm -rf "$$scratch"; exit $$status

# The tests start their own Neo4j (.neo4j/test, port 7688) and never touch the one `make run` serves.
# Two workers (pytest-xdist), each with a Neo4j of its own; a file's tests stay on one worker, so a file's
# module-scoped graph is built once. `make test PYTEST_WORKERS=0` runs them in this process, one by one.
PYTEST_WORKERS ?= 2
test: install browser lint
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile --durations=20

# The pure unit tests (domain rules, interchange parsing, the import graph): no Neo4j, a few seconds.
# --confcutdir keeps tests/conftest.py (the server fixtures) out of the run altogether.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider --confcutdir=tests/unit tests/unit

# Lint and types over the package (pyproject.toml: ruff, mypy strict, import-linter
# contracts); ruff checks the tests and the benchmarks too, the whole tree is kept formatted.
LINT_PATHS   := graph_api tests bench
FORMAT_PATHS := graph_api tests bench

lint: $(STAMP) schema-lint
	$(BIN)/uv lock --check --quiet
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(FORMAT_PATHS)
	$(BIN)/mypy
	$(BIN)/lint-imports

# The committed SDL against graphql-schema-linter (pinned in tools/schema-lint with its lock; the rules are
# tools/schema-lint/.graphql-schema-linterrc): every type, field, argument, enum value and input field
# described, 0 findings. Node and npm are part of the machine: missing, the lint fails, it never skips.
SCHEMA_LINT := tools/schema-lint

$(SCHEMA_LINT)/node_modules/.package-lock.json: $(SCHEMA_LINT)/package.json $(SCHEMA_LINT)/package-lock.json
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm (Node 20) are required for the schema lint: apt-get install nodejs npm"; exit 1; }
	cd $(SCHEMA_LINT) && npm ci --no-audit --no-fund --silent

schema-lint: $(SCHEMA_LINT)/node_modules/.package-lock.json
	@command -v node >/dev/null || { echo "node (Node 20) is required for the schema lint: apt-get install nodejs"; exit 1; }
	$(SCHEMA_LINT)/node_modules/.bin/graphql-schema-linter --config-directory $(SCHEMA_LINT) schema.graphql

neo4j-start: install
	$(BIN)/graph-api neo4j start

neo4j-stop:
	$(BIN)/graph-api neo4j stop

# The typed TypeScript client (clients/typescript): install from its lock, generate the types of the README's
# example operations against schema.graphql, check them with tsc --strict (tests/test_ts_client.py does the same).
.PHONY: client
client:
	cd clients/typescript && npm ci --prefer-offline --no-audit --no-fund && npm run generate && npm run check

# Regenerate the committed SDL after changing the schema (a test fails on drift).
schema: $(STAMP)
	$(BIN)/graph-api sdl --out schema.graphql

clean:
	-$(BIN)/graph-api neo4j stop
	rm -rf .neo4j var
