package clerkpage_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/internal/testing/testbrowser"
)

// BenchmarkPage30k times the page validating one month of 沈阳市 with
// about 30,000 organizations in headless Chromium (docs/validator-page.md: under 5 s on
// 2 cores), from the file picker to the result shown: reading the file,
// the checks in WebAssembly, the annotated copy and drawing the findings.
// It reports the page's size (page-bytes), the organizations in the
// workbook and the time the page takes to load its validator (load-s).
//
//	go test -run '^$' -bench Page30k -benchtime 1x ./internal/clerkpage/
func BenchmarkPage30k(b *testing.B) {
	br := testbrowser.Offline(b)
	page := buildPage(b)
	st, err := os.Stat(page)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	// 沈阳市 has about 100,000 organizations at scale 17.3.
	sum, err := gen.Generate(context.Background(), spec.Load(), gen.Options{
		Out: dir, From: "2026-01", To: "2026-01", Seed: 1, Scale: 5.19, Cities: []string{"沈阳"},
	}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	f := sum.Files[0]
	path := filepath.Join(dir, filepath.FromSlash(f.Path))
	start := time.Now()
	openPage(b, br, page)
	load := time.Since(start)

	b.ResetTimer()
	for range b.N {
		validateInPage(b, br, []string{path}, 5*time.Minute)
	}
	b.StopTimer()
	errs, err := chromedp.Run(br.Ctx, chromedp.Evaluate[string](`ufaResults[0].error || ""`))
	if err != nil || errs != "" {
		b.Fatalf("the page could not validate it: %v %s", err, errs)
	}
	b.ReportMetric(float64(st.Size()), "page-bytes")
	b.ReportMetric(float64(f.Rows["organizations"]), "orgs")
	b.ReportMetric(load.Seconds(), "load-s")
}
