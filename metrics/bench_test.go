package metrics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"ufa/ingest"
	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/transform"
)

const benchSeed = 42

// benchWarehouse returns a warehouse holding a year (2026) of ufa gen
// output at scale 1 (the province's ~29,000 organizations, with the
// generator's rejected first attempts, corrections, a late and a skipped
// city-month), ingested like ufa ingest does. It is built once and cached
// under os.TempDir, keyed by the seed and the warehouse's schema version;
// building it takes a few minutes.
func benchWarehouse(b *testing.B) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("ufa-metrics-bench-seed%d-v%d", benchSeed, transform.SchemaVersion()))
	db := filepath.Join(dir, "ufa.duckdb")
	if _, err := os.Stat(db); err == nil {
		return db
	}
	b.Logf("building the benchmark warehouse in %s (once)", dir)
	start := time.Now()
	ctx := context.Background()
	book := spec.Load()
	tmp, err := os.MkdirTemp(os.TempDir(), "ufa-metrics-bench-build-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	sum, err := gen.Generate(ctx, book, gen.Options{Out: filepath.Join(tmp, "inbox"), From: "2026-01", To: "2026-12",
		Seed: benchSeed, Scale: 1, Faults: true}, nil)
	if err != nil {
		b.Fatal(err)
	}
	files := append([]gen.File(nil), sum.Files...)
	// The order the province receives them: by filing date, a rejected
	// first attempt before the regular workbook before its correction.
	kindOrder := map[gen.Kind]int{gen.KindRejected: 0, gen.KindRegular: 1, gen.KindLate: 1, gen.KindCorrection: 2}
	sort.SliceStable(files, func(i, j int) bool {
		if files[i].FiledOn != files[j].FiledOn {
			return files[i].FiledOn < files[j].FiledOn
		}
		return kindOrder[files[i].Kind] < kindOrder[files[j].Kind]
	})
	building := filepath.Join(tmp, "ufa.duckdb")
	w, err := transform.Open(ctx, building, transform.Options{Book: book})
	if err != nil {
		b.Fatal(err)
	}
	if err := w.UseKey(ctx, transform.DemoKey()); err != nil {
		b.Fatal(err)
	}
	n := 0
	for i, f := range files {
		if f.Kind == gen.KindFault {
			continue
		}
		p := filepath.Join(sum.Out, filepath.FromSlash(f.Path))
		sha, err := transform.HashFile(p)
		if err != nil {
			b.Fatal(err)
		}
		filed, _ := time.Parse("2006-01-02", f.FiledOn)
		res := ingest.Validate(ctx, book, p, ingest.Options{})
		if _, err := w.Submit(ctx, transform.File{Name: filepath.Base(p), SHA256: sha, Received: filed.Add(time.Duration(i) * time.Second)}, res); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	// Renamed into place only when complete: an interrupted build is not
	// mistaken for a cache.
	if err := os.Rename(building, db); err != nil {
		b.Fatal(err)
	}
	b.Logf("ingested %d workbooks in %v", n, time.Since(start).Round(time.Second))
	return db
}

// BenchmarkCompute computes October 2026 (its 3m and ytd windows read ten
// months) for the province-sized warehouse: every indicator, score, rank,
// stored.
func BenchmarkCompute(b *testing.B) {
	path := benchWarehouse(b)
	ctx := context.Background()
	w, err := transform.Open(ctx, path, transform.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	db := w.DB()
	for b.Loop() {
		if err := Compute(ctx, db, "2026-10", nil); err != nil {
			b.Fatal(err)
		}
	}
	reportSize(b, db)
}

// BenchmarkExplain is the drill-down of the province's key-contact visit
// coverage (the widest window and the largest row set).
func BenchmarkExplain(b *testing.B) {
	path := benchWarehouse(b)
	ctx := context.Background()
	w, err := transform.Open(ctx, path, transform.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	if err := Compute(ctx, w.DB(), "2026-10", nil); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Explain(ctx, w.DB(), "2026-10", spec.ProvinceCode, "key_contact_visit_coverage_3m"); err != nil {
			b.Fatal(err)
		}
	}
}

func reportSize(b *testing.B, db *sql.DB) {
	var orgs, reps int64
	err := db.QueryRow(`SELECT (SELECT count(*) FROM cur_organizations WHERE month = '2026-10'), (SELECT count(*) FROM cur_representatives WHERE month = '2026-10')`).Scan(&orgs, &reps)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		b.Fatal(err)
	}
	b.ReportMetric(float64(orgs), "orgs")
	b.ReportMetric(float64(reps), "reps")
}
