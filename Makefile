# gigakoll: two commands on a fresh Debian 12 machine.
#   make run    provision PostgreSQL + PostGIS, migrate, load the demo data, serve on :8080
#   make test   the same provisioning, then every test (unit, database, browser)
# DATABASE_URL, when set, is used as it is and nothing is installed.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

BIN     := bin/gigakoll
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
# The full commit, "-dirty" when the work tree has changes: gigakoll version prints it.
COMMIT  := $(shell c=$$(git rev-parse HEAD 2>/dev/null) && { git diff --quiet HEAD 2>/dev/null && echo $$c || echo $$c-dirty; })
GO_SRC  := $(shell find . -name '*.go' -not -path './web/node_modules/*') go.mod go.sum \
           $(shell find migrations geo coverage measure seeds server web -name '*.sql' -o -name '*.geojson' -o -name '*.csv' 2>/dev/null | grep -v node_modules)

# Every recipe line that needs the database starts with $(DB).
DB := export DATABASE_URL="$$(scripts/dev-db.sh)";

# The pages (web/): npm ci runs when node_modules is missing or older than
# package-lock.json (the stamp records the last npm ci), Vite when a source
# changed; the binary embeds web/dist and web/templates.
WEB_STAMP := web/node_modules/.npm-ci.stamp
WEB_SRC   := $(shell find web/src -type f 2>/dev/null) web/vite.config.js web/package.json
WEB_BUILD := web/dist/manifest.json
WEB_EMBED := $(WEB_BUILD) $(wildcard web/templates/*.html)

.PHONY: run test lint build db migrate clean web browser fuzz bench-import bench-measure bench-mobile

## run: provision the database, migrate, load the demo data and serve on http://localhost:8080
run: build
	$(DB) $(BIN) migrate && $(BIN) seed demo && exec $(BIN) serve

## test: provision, then lint and every test against the real PostGIS, a hot standby of it
## (scripts/replica.sh: the read-replica tests), and in Chromium
test: build lint browser gis
	$(DB) export GIGAKOLL_TEST_READ_URL="$$(scripts/replica.sh)"; go test -count=1 -timeout 60m ./...

## build: the binary, with the pages embedded
build: web $(BIN)

$(BIN): $(GO_SRC) $(WEB_EMBED)
	go build -ldflags "-X main.version=$(VERSION) -X main.commit=$(COMMIT)" -o $(BIN) ./cmd/gigakoll

## web: install the npm packages when the lock file changed, build the pages when a source changed
web: $(WEB_BUILD)

$(WEB_STAMP): web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

$(WEB_BUILD): $(WEB_STAMP) $(WEB_SRC)
	cd web && npm run build

## browser: Debian's Chromium at /usr/bin/chromium for the browser tests (web/e2e)
browser:
	@scripts/browser.sh

## gis: GDAL's ogrinfo and ogr2ogr, and PyQGIS (QGIS 3.22), at hand for the OGC API and tile tests
## (ogc/ogrinfo_test.go, ogc/qgis_test.go)
.PHONY: gis
gis:
	@scripts/gis-tools.sh

## replica: make the local database's hot standby available and print its URL (scripts/replica.sh)
.PHONY: replica
replica:
	@$(DB) scripts/replica.sh

## db: make the database available and print its URL
db:
	@scripts/dev-db.sh

## migrate: bring the database to this binary's schema
migrate: build
	$(DB) $(BIN) migrate

## lint: gofmt, go vet, staticcheck
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...
	go tool staticcheck ./...

## fuzz: fuzz the coverage and mobile readers for FUZZTIME each (default 2m); new crashers land in
## coverage/testdata/fuzz and mobile/testdata/fuzz
FUZZTIME ?= 2m
fuzz:
	go test ./coverage -run '^$$' -fuzz '^FuzzReader$$' -fuzztime $(FUZZTIME)
	go test ./mobile -run '^$$' -fuzz '^FuzzReader$$' -fuzztime $(FUZZTIME)

## bench-import: import 1 M and 5 M row files against the floor (COPY + INSERT … SELECT); see bench/README.md
bench-import: build
	$(DB) go test ./bench -run '^$$' -bench '^BenchmarkImport$$' -benchtime 1x -timeout 2h -v

## bench-mobile: import a national mobile coverage file (every 250 m square of Sweden, four operators, about
## 45 M rows) against the coverage import's floor on the same file; BENCH_MOBILE_COUNTIES=08 for one county
.PHONY: bench-mobile
bench-mobile: build
	$(DB) go test ./bench -run '^$$' -bench '^BenchmarkImportMobile$$' -benchtime 1x -timeout 4h -v

## bench-measure: submissions with wrk against a floor, ndt7 against a plain WebSocket, 20 000 submissions across a
## PostgreSQL restart (a cluster of its own, 15/bench on port 5433, dropped after); see bench/measure.md
bench-measure: build
	@command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk
	$(DB) go test ./bench -run '^$$' -bench '^BenchmarkMeasure' -benchtime 1x -timeout 30m -v

## bench-ogc: a page (limit=20) of the OGC addresses and gaps collections at 5 M address points against reading
## the page's rows straight; the database gk_bench_ogc is built on the first run (some minutes) and kept
.PHONY: bench-ogc
bench-ogc: build
	$(DB) go test ./bench -run '^$$' -bench '^BenchmarkOGCPage' -benchtime 1x -timeout 2h -v

## reliability: the slow reruns of what must never regress (README, "Reliability"): imports killed at 20 random
## moments, servers killed while clients retry, then the fast checks again (authorisation matrix, privacy dump,
## idempotency across restarts, shutdown deadline, consistency), then 20 000 submissions across a PostgreSQL restart
.PHONY: reliability
reliability: build
	$(DB) go test -count=1 -tags reliability -timeout 1h -run '^TestReliability' -v ./cmd/gigakoll
	$(DB) go test -count=1 -timeout 30m -run '^(TestAuthorisationMatrix|TestNothingRecordsTheClient|TestAnswersReadOneStateOfTheDatabase|TestControlCharactersAreRefusedByName|TestTrustedProxiesNameTheClient)$$' ./server
	$(DB) go test -count=1 -timeout 30m -run '^(TestIdempotencyKeySurvivesRestartsAndServers|TestShutdown.*|TestKilled.*|TestBackupAndRestore|TestEveryCSVNeutralisesFormulas)$$' ./cmd/gigakoll
	$(DB) go test ./bench -run '^$$' -bench '^BenchmarkMeasureNoLoss$$' -benchtime 1x -timeout 30m -v

## bench-tiles: vector tiles at zoom 8–14 over the county, cold and warm cache, against the same ST_AsMVT
## query run straight on the database; see bench/tiles.md
.PHONY: bench-tiles
bench-tiles: build
	$(DB) go test ./bench -run '^$$' -bench '^BenchmarkTiles' -benchtime 1x -timeout 1h -v

## bench-sweden: all of Sweden (seed generate --scope sweden: 6.5 M rows, 4.9 M households): the import against
## ogr2ogr and the COPY floor, reports, gap reports and OGC pages, tiles from zoom 4 against a pg_tileserv-style
## server, the public site while an import runs; see bench/sweden.md. The hot standby of make test, if any, is
## stopped first: one machine, nothing replaying its WAL.
.PHONY: bench-sweden
bench-sweden: build gis
	$(DB) scripts/replica.sh stop >/dev/null; go test ./bench -run '^$$' -bench '^BenchmarkSweden' -benchtime 1x -timeout 4h -v

## bench: every benchmark, each against its floor or peer (long: about two hours on a 2-core machine)
.PHONY: bench
bench: bench-import bench-mobile bench-tiles bench-measure bench-xlsx bench-ogc bench-sweden

## bench-xlsx: gap reports of 50 000 and 500 000 rows (one sheet, and a summary with five) written by sheet's
## XLSX writer and by excelize's StreamWriter, each in a process of its own; see bench/README.md
.PHONY: bench-xlsx
bench-xlsx:
	go test ./bench -run '^$$' -bench '^BenchmarkXLSX$$' -benchtime 1x -timeout 1h -v

clean:
	rm -rf bin web/test-results
	find web/dist -mindepth 1 -not -name .gitkeep -delete
