# gigakoll: two commands on a fresh Debian 12 machine.
#   make run    provision PostgreSQL + PostGIS, migrate, load the demo data, serve on :8080
#   make test   the same provisioning, then every test (unit, database, browser)
# DATABASE_URL, when set, is used as it is and nothing is installed.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

BIN     := bin/gigakoll
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
GO_SRC  := $(shell find . -name '*.go' -not -path './web/node_modules/*') go.mod go.sum \
           $(shell find migrations geo coverage measure seeds server web -name '*.sql' -o -name '*.geojson' -o -name '*.csv' 2>/dev/null | grep -v node_modules)

# Every recipe line that needs the database starts with $(DB).
DB := export DATABASE_URL="$$(scripts/dev-db.sh)";

.PHONY: run test lint build db migrate clean

## run: provision the database, migrate, load the demo data and serve on http://localhost:8080
run: build
	$(DB) $(BIN) migrate && exec $(BIN) serve

## test: provision, then lint and every test against the real PostGIS
test: build lint
	$(DB) go test -count=1 ./...

## build: the binary, with the pages embedded
build: $(BIN)

$(BIN): $(GO_SRC)
	go build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/gigakoll

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

clean:
	rm -rf bin
