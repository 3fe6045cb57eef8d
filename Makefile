# fitness-data-platform — see README.md.
# With neither DATABASE_URL nor PGHOST set, targets use a private cluster under .pgdata/.
SHELL := /bin/bash
SWIFT ?= swift
SWIFT_FLAGS ?=
FITDATA := .build/debug/fitdata
FITDATA_RELEASE := .build/release/fitdata

ifeq ($(strip $(DATABASE_URL)$(PGHOST)),)
LOCAL_DB := 1
export PGHOST := $(shell scripts/localdb.sh sockdir)
export PGPORT := $(shell scripts/localdb.sh port)
export PGUSER := postgres
export PGDATABASE := fitdata
DB_UP := db-up
else
DB_UP :=
endif

.PHONY: test-venv deps build release test test-release unit-test e2e-test sql-test demo build-marts screenshots db-up db-down bench bench-scale compat-dbt compat-jaffle compat-snapshot install-extension clean fuzz fuzz-template

# Debian packages the build and tests need (installed with apt-get when missing and run as root).
deps:
	@scripts/deps.sh

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

release: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS)

db-up:
ifdef LOCAL_DB
	@scripts/localdb.sh start
else
	@echo "using the configured database (DATABASE_URL/PGHOST); nothing to start"
endif

db-down:
ifdef LOCAL_DB
	@scripts/localdb.sh stop
endif

# Installs the fitness extension into the server's share dir (root or a writable PGXS dir);
# falls back to nothing when not permitted: `fitdata db init` then applies the same script as plain SQL.
install-extension:
	@if [ -w "$$(pg_config --sharedir)/extension" ]; then $(MAKE) -s -C sql install >/dev/null && echo "fitness extension installed into $$(pg_config --sharedir)/extension"; \
	else echo "cannot write $$(pg_config --sharedir)/extension: db init will use plain SQL"; fi

sql-test: $(DB_UP) install-extension
	$(MAKE) -C sql installcheck

# The Python helpers the tests start (fake servers, linters), in .venv-test.
test-venv:
	@scripts/test-venv.sh

test: build $(DB_UP) install-extension test-venv
	$(MAKE) -C sql installcheck
	$(SWIFT) test $(SWIFT_FLAGS) --disable-xctest

# The whole Swift suite against an optimized build with the shipped binary's flags (the loader is compiled
# without runtime exclusivity checks in release, see Package.swift), so what ships is what is tested.
# -enable-testing lets the tests' @testable imports see internals; the CLI tests run .build/release/fitdata.
test-release: deps $(DB_UP) install-extension test-venv
	$(SWIFT) build -c release --build-tests -Xswiftc -enable-testing $(SWIFT_FLAGS)
	FITDATA_BIN=$(CURDIR)/.build/release/fitdata $(SWIFT) test -c release --skip-build -Xswiftc -enable-testing $(SWIFT_FLAGS) --disable-xctest

# Long fuzz run of the CSV reader, row validator and date parser (no database): FUZZ_SECONDS per test
# (default 60; the six tests run as many at once as there are cores), or FUZZ_ITERATIONS executions each;
# FUZZ_SEED picks the inputs. Prints each test's executions; `make test` runs them briefly with seed 1.
FUZZ_SECONDS ?= 60
FUZZ_SEED ?= 1
fuzz: build
	set -o pipefail; FITDATA_FUZZ_SEED=$(FUZZ_SEED) $(if $(FUZZ_ITERATIONS),FITDATA_FUZZ_ITERATIONS=$(FUZZ_ITERATIONS),FITDATA_FUZZ_SECONDS=$(FUZZ_SECONDS)) \
	  $(SWIFT) test $(SWIFT_FLAGS) --disable-xctest --filter 'FuzzTests' 2>&1 | tee .build/fuzz.log | grep -E '^fuzz |passed|failed|error'

demo: build $(DB_UP) install-extension
	scripts/demo.sh

build-marts: build $(DB_UP) install-extension
	scripts/build-marts.sh

# The sample athlete's dashboard (and weekly report, when present) in headless Chromium at desktop and phone
# width, checked (no console errors, every chart drawn) and saved as docs/images/*-{desktop,phone}.png.
screenshots: build $(DB_UP) install-extension
	scripts/screenshots.sh

bench: release $(DB_UP) install-extension
	scripts/bench.sh

# Many athletes at scale (ATHLETES=1000 YEARS=5 by default; BENCHMARKS.md "Many athletes at scale"); long.
bench-scale: build $(DB_UP) install-extension
	scripts/bench-scale.sh

# make compat-dbt [PROJECT=path/to/dbt/project]: fitdata vs dbt-core 1.11, every relation (scripts/compat-dbt.sh).
compat-dbt: build $(DB_UP) install-extension
	PROJECT="$(PROJECT)" scripts/compat-dbt.sh

# dbt-labs/jaffle-shop-classic, unmodified, through compat-dbt: JAFFLE_SHOP_DIR (a checkout) or a fresh clone.
compat-jaffle: build $(DB_UP) install-extension
	@set -e; dir="$(JAFFLE_SHOP_DIR)"; \
	if [ -z "$$dir" ]; then dir="$$(mktemp -d)/jaffle-shop-classic"; \
	  git clone --quiet --depth 1 https://github.com/dbt-labs/jaffle-shop-classic "$$dir"; fi; \
	PROJECT="$$dir" scripts/compat-dbt.sh

# `fitdata snapshot` against `dbt snapshot` (dbt-core 1.11) on the same changing table: same history rows.
compat-snapshot: build $(DB_UP)
	scripts/compat-snapshot.sh

# Long property-test campaign of the template parser and compiler (random and mutated dbt_style_models templates).
# FUZZ_TEMPLATE_ITERATIONS (default 200000) and FUZZ_SEED (default: the clock; printed, to replay a finding).
fuzz-template:
	FITDATA_FUZZ_TEMPLATE_ITERATIONS=$${FUZZ_TEMPLATE_ITERATIONS:-200000} FITDATA_FUZZ_SEED=$${FUZZ_SEED:-$$(date +%s)} \
		$(SWIFT) test $(SWIFT_FLAGS) --disable-xctest --filter TemplateFuzzTests

# Fault injection (docs/faults.md): SIGKILLs and crash-restarts of the private server during a large load,
# an update load, a Hevy sync and a model build; consistency after each fault, exact equality after a rerun.
.PHONY: test-faults test-faults-quick
test-faults: build $(DB_UP) install-extension
	python3 scripts/faults/faults.py

# The time-boxed form CI runs (a few kill points per operation, a smaller export; under ~5 minutes).
test-faults-quick: build $(DB_UP) install-extension
	FAULTS_QUICK=1 python3 scripts/faults/faults.py

# Deployment files (docs/deployment.md): cfn-lint on deploy/aws/*.yaml, systemd timer expressions, the
# scheduled command line of deploy/bin/fitdata-pipeline, the Airflow DAG file compiles. Run by CI.
.PHONY: lint-deploy image airflow-check docs-generate docs-check
lint-deploy: test-venv
	scripts/lint-deploy.sh

# The job's container image (deploy/Dockerfile) with docker or podman; not run in CI (no container engine there).
IMAGE ?= fitdata:latest
CONTAINER_ENGINE ?= $(shell command -v docker 2>/dev/null || command -v podman 2>/dev/null)
image:
	@if [ -z "$(CONTAINER_ENGINE)" ]; then echo "make image: needs docker or podman (CONTAINER_ENGINE=...)" >&2; exit 2; fi
	$(CONTAINER_ENGINE) build -f deploy/Dockerfile -t $(IMAGE) .

# Installs the pinned apache-airflow with its constraints file into .venv-airflow and imports deploy/airflow
# into a DagBag (fails on import errors). Not run in CI (a large install); AIRFLOW_CONSTRAINTS overrides the file.
airflow-check:
	scripts/airflow-check.sh

# docs/generated/: the ERD of `core` (live catalog after `fitdata db init`) and the model lineage, as Mermaid.
# docs-generate rewrites the committed copies; docs-check (CI) fails with a diff when they differ from the code.
docs-generate: build $(DB_UP) install-extension
	scripts/docs-diagrams.sh write

docs-check: build $(DB_UP) install-extension
	scripts/docs-diagrams.sh check

clean:
	rm -rf .build target

# Citus on localhost (docs/scaling.md "Citus"): Citus 13.2.2 built from ../shared/vendor/citus into the system's
# PostgreSQL 15 (cached under .citus/build), a coordinator on CITUS_PORT (default 54350) and workers on the next two
# ports, data under .citus/nodes. Not run in CI (a source build and three more servers).
.PHONY: citus-build citus-up citus-down citus-compare
citus-build:
	@scripts/citus.sh build

citus-up: citus-build install-extension
	@scripts/citus.sh up

citus-down:
	@scripts/citus.sh down

# Sample athletes loaded into the Citus cluster and into a single-node database, both built, every mart compared row
# for row; prints load and build times of both. CITUS_COMPARE_ATHLETES (default 4) athletes, one sample run each.
citus-compare: build citus-up $(DB_UP)
	scripts/citus-compare.sh
