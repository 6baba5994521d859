package dashboards

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ufa/transform"
)

// benchWarehouse returns a warehouse holding a province-sized year (2026,
// ufa gen at scale 1: about 29,000 organizations, with rejected attempts,
// corrections, a late and a skipped city-month) with the indicators of
// every month computed. Built once (several minutes) and cached under
// os.TempDir, keyed by the seed and the warehouse's schema version; renamed
// into place only when complete.
func benchWarehouse(b *testing.B) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("ufa-dashboards-bench-seed42-v%d", transform.SchemaVersion()))
	db := filepath.Join(dir, "ufa.duckdb")
	if _, err := os.Stat(db); err == nil {
		return db
	}
	b.Logf("building the benchmark warehouse in %s (once)", dir)
	start := time.Now()
	tmp, err := os.MkdirTemp(os.TempDir(), "ufa-dashboards-bench-build-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	built := buildYear(b, tmp, 1, false)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(built, db); err != nil {
		b.Fatal(err)
	}
	b.Logf("built in %v", time.Since(start).Round(time.Second))
	return db
}

// BenchmarkDashboards renders December's 16 pages of a province-sized year
// from the warehouse, as ufa dashboards does (loading included); the time
// per page is reported as ns/page.
func BenchmarkDashboards(b *testing.B) {
	db := benchWarehouse(b)
	w := openRead(b, db)
	ctx := context.Background()
	out := b.TempDir()
	pages := 0
	for b.Loop() {
		d, err := Load(ctx, w.DB(), LoadOptions{Month: "2026-12"})
		if err != nil {
			b.Fatal(err)
		}
		res, err := RenderData(ctx, d, out)
		if err != nil {
			b.Fatal(err)
		}
		pages = len(res.Pages)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*pages), "ns/page")
}

// BenchmarkLoad is the warehouse part alone: indicator values of 12 months,
// submissions, findings and the city breakdowns.
func BenchmarkLoad(b *testing.B) {
	db := benchWarehouse(b)
	w := openRead(b, db)
	ctx := context.Background()
	for b.Loop() {
		if _, err := Load(ctx, w.DB(), LoadOptions{Month: "2026-12"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPages is the rendering alone (charts, templates, files), per page.
func BenchmarkPages(b *testing.B) {
	db := benchWarehouse(b)
	w := openRead(b, db)
	ctx := context.Background()
	d, err := Load(ctx, w.DB(), LoadOptions{Month: "2026-12"})
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	pages := 0
	for b.Loop() {
		res, err := RenderData(ctx, d, out)
		if err != nil {
			b.Fatal(err)
		}
		pages = len(res.Pages)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*pages), "ns/page")
}
