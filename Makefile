# ufa — two commands on a fresh machine: `make demo` and `make test`.
# Every Go command gets the duckdb_arrow tag: DuckDB's Arrow interface needs it.

GO      ?= go
PREFIX  ?= /usr/local
TAGS    := duckdb_arrow
GOFLAGS := -tags=$(TAGS)
DEMO    ?= demo
export GOFLAGS

.PHONY: all build install test race validator release release-test demo deps assets bench golden mutate clean

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
	$(MAKE) race

# race runs the race detector on the packages that start goroutines: the
# reader's read-ahead (internal/xlsxscan, ingest), the generator
# (internal/gen), the parallel checking of a batch (pipeline; cmd/ufa, its
# ingest tests only, to keep the time moderate) and the portal's server
# (portal). -short leaves out the long corpus, browser and crash runs.
RACE_PKGS := ./internal/xlsxscan/ ./internal/gen/ ./ingest/... ./pipeline/ ./portal/
race:
	$(GO) test -race -short -count=1 -timeout 20m $(RACE_PKGS)
	$(GO) test -race -short -count=1 -timeout 20m -run 'TestIngest' ./cmd/ufa/

# golden rewrites the golden files under testdata/golden from this build's
# outputs; review `git diff testdata/golden` before committing it.
golden: assets
	$(GO) test -count=1 ./cmd/ufa -run Golden -update

# The portable validator (docs/validator-page.md): no cgo, no database; the same
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

# The full ufa (cgo, DuckDB) for linux/amd64 and linux/arm64 (the other one
# cross-compiled with Debian's cross compiler, which deps.sh installs only
# here), the validator builds, and bin/SHA256SUMS. See docs/scale.md (Targets).
release: assets
	bash scripts/deps.sh release
	bash scripts/release.sh
	$(MAKE) --no-print-directory validator
	cd bin && sha256sum ufa-linux-amd64 ufa-linux-arm64 ufa-validator* > SHA256SUMS

# release-test clones this repository's last commit, runs make release in
# the clone and `ufa demo` with the arm64 build under qemu-user, and checks
# its warehouse against the amd64 build's demo. 10 to 18 minutes on 2
# cores (the emulated demo is most of it), so not part of make test.
release-test: assets
	bash scripts/deps.sh release-test
	UFA_RELEASE_TEST=1 $(GO) test -count=1 -timeout 60m -run TestReleaseArm64 -v ./cmd/ufa

demo: build
	bash scripts/demo.sh $(DEMO)

bench: build
	bash scripts/bench.sh

# mutate runs mutation testing (gremlins, pinned, installed into bin/) over
# the packages that hold the rules; a developer tool, not part of CI. It is
# slow (each mutant relinks and reruns a package's tests): MUTATE_PKGS
# narrows it, e.g. make mutate MUTATE_PKGS=./internal/codes; MUTATE_RUN
# picks the tests run per mutant (a go test -run pattern) and MUTATE_FLAGS
# passes more gremlins flags (e.g. -E 'explain\.go' to leave a file out).
# Results and surviving mutants: docs/testing.md.
GREMLINS_VERSION := v0.6.0
GREMLINS := bin/gremlins
MUTATE_PKGS ?= ./internal/codes ./metrics ./ingest/check ./ingest/read ./transform
MUTATE_WORKERS ?= 1
MUTATE_RUN ?=
MUTATE_FLAGS ?=
$(GREMLINS):
	GOFLAGS= GOBIN=$(CURDIR)/bin $(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@$(GREMLINS_VERSION)
mutate: $(GREMLINS)
	mkdir -p out/mutate
	for p in $(MUTATE_PKGS); do \
		n=$$(echo $$p | tr -c 'a-z0-9\n' _); \
		GOFLAGS="$(GOFLAGS) -count=1$(if $(MUTATE_RUN), -run=$(MUTATE_RUN))" $(GREMLINS) unleash --tags $(TAGS) \
			--workers $(MUTATE_WORKERS) --test-cpu 2 --timeout-coefficient 3 $(MUTATE_FLAGS) \
			-o out/mutate/$$n.json $$p > out/mutate/$$n.txt; s=$$?; \
		cat out/mutate/$$n.txt; [ $$s -eq 0 ] || exit $$s; \
	done

clean:
	rm -rf bin $(DEMO)
