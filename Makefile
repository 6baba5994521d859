# ufa — two commands on a fresh machine: `make demo` and `make test`.
# Every Go command gets the duckdb_arrow tag: DuckDB's Arrow interface needs it.

GO      ?= go
PREFIX  ?= /usr/local
TAGS    := duckdb_arrow
GOFLAGS := -tags=$(TAGS)
DEMO    ?= demo
export GOFLAGS

.PHONY: all build install test validator demo deps assets bench golden clean

all: build

# deps installs what a new machine lacks (Debian packages, npm packages).
deps:
	bash scripts/deps.sh

# assets fetches the third-party browser code the dashboards embed
# (ECharts and the Liaoning map, from the npm registry; never committed).
assets:
	bash scripts/assets.sh

build: assets
	$(GO) build -o bin/ufa ./cmd/ufa

# install puts bin/ufa on the PATH as $(PREFIX)/bin/ufa (default
# /usr/local/bin; `make install PREFIX=$$HOME/.local` needs no root), so
# that the README's commands run as written.
install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 bin/ufa $(DESTDIR)$(PREFIX)/bin/ufa
	@echo "ufa 已安装到 $(DESTDIR)$(PREFIX)/bin/ufa"

test: deps assets
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) vet ./ingest/... ./internal/spec/... ./internal/codes/... ./internal/textnorm/... ./internal/gen/... ./cmd/ufa/
	$(GO) test -count=1 -timeout 40m ./...

# golden rewrites the golden files under testdata/golden from this build's
# outputs; review `git diff testdata/golden` before committing it.
golden: assets
	$(GO) test -count=1 ./cmd/ufa -run Golden -update

# The portable validator: no cgo, no database; the same template, validate
# and gen commands as the full ufa.
validator:
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -trimpath -ldflags='-s -w' -o bin/ufa-validator.exe ./cmd/ufa
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $(GO) build -trimpath -ldflags='-s -w' -o bin/ufa-validator-linux-amd64 ./cmd/ufa

demo: build
	bash scripts/demo.sh $(DEMO)

bench: build
	bash scripts/bench.sh

clean:
	rm -rf bin $(DEMO)
