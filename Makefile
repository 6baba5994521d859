# ufa — two commands on a fresh machine: `make demo` and `make test`.
# Every Go command gets the duckdb_arrow tag: DuckDB's Arrow interface needs it.

GO      ?= go
TAGS    := duckdb_arrow
GOFLAGS := -tags=$(TAGS)
DEMO    ?= demo
export GOFLAGS

.PHONY: all build test validator release release-test demo deps assets bench golden clean

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

# golden rewrites the golden files under testdata/golden from this build's
# outputs; review `git diff testdata/golden` before committing it.
golden: assets
	$(GO) test -count=1 ./cmd/ufa -run Golden -update

# The portable validator: no cgo, no database; the same template, validate
# and gen commands as the full ufa.
validator:
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -trimpath -ldflags='-s -w' -o bin/ufa-validator.exe ./cmd/ufa
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $(GO) build -trimpath -ldflags='-s -w' -o bin/ufa-validator-linux-amd64 ./cmd/ufa

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

clean:
	rm -rf bin $(DEMO)
