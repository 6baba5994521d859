# ufa — two commands on a fresh machine: `make demo` and `make test`.
# Every Go command gets the duckdb_arrow tag: DuckDB's Arrow interface needs it.

GO      ?= go
TAGS    := duckdb_arrow
GOFLAGS := -tags=$(TAGS)
DEMO    ?= demo
export GOFLAGS

.PHONY: all build test validator demo deps assets bench clean

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

test: deps assets
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) vet ./ingest/... ./internal/spec/... ./internal/codes/... ./internal/textnorm/... ./internal/gen/... ./cmd/ufa/
	$(GO) test -count=1 -timeout 40m ./...

# The portable validator (clerk.md): no cgo, no database; the same
# template, validate and gen commands as the full ufa, for every office PC,
# and bin/ufa-validator.html, the same validator compiled to WebAssembly in
# one page that needs neither network nor installation. Each binary tells
# its version and commit (ufa --version); outside git they are "dev"/"unknown".
VERSION   := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT    := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
VLDFLAGS  := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)
VALIDATOR := windows/amd64:ufa-validator.exe windows/386:ufa-validator-windows-386.exe \
	windows/arm64:ufa-validator-windows-arm64.exe linux/amd64:ufa-validator-linux-amd64 \
	linux/arm64:ufa-validator-linux-arm64 linux/loong64:ufa-validator-linux-loong64 \
	darwin/arm64:ufa-validator-macos-arm64

validator:
	@mkdir -p bin
	@set -e; for t in $(VALIDATOR); do \
		os=$${t%%/*}; rest=$${t#*/}; arch=$${rest%%:*}; out=$${t#*:}; \
		echo "  $$os/$$arch -> bin/$$out"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags='$(VLDFLAGS)' -o bin/$$out ./cmd/ufa; \
	done
	CGO_ENABLED=0 GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='$(VLDFLAGS)' -o bin/ufa.wasm ./cmd/ufa-wasm
	GOOS= GOARCH= $(GO) run ./internal/clerkpage/mkpage -wasm bin/ufa.wasm -goroot "$$($(GO) env GOROOT)" -o bin/ufa-validator.html
	@rm -f bin/ufa.wasm

demo: build
	bash scripts/demo.sh $(DEMO)

bench: build
	bash scripts/bench.sh

clean:
	rm -rf bin $(DEMO)
