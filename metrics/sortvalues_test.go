package metrics_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"ufa/internal/spec"
	"ufa/metrics"
	"ufa/transform"
)

// SortValues gives the output order of metrics.Load and every export: by
// month, the province first, then cities by code, then indicators in the
// order of Definitions, indicators no longer defined last by id. The
// expected order is written out by hand and the input shuffled.
func TestSortValuesExact(t *testing.T) {
	want := [][3]string{
		{"2025-12", "210000", "org_count"},
		{"2025-12", "210100", "score"},
		{"2025-12", "210100", "org_count"},
		{"2026-01", "210000", "score"},
		{"2026-01", "210000", "rank"},
		{"2026-01", "210000", "work_coverage"},
		{"2026-01", "210000", "gone_a"},
		{"2026-01", "210000", "gone_b"},
		{"2026-01", "210100", "score"},
		{"2026-01", "210200", "score"},
		{"2026-01", "211400", "on_time"},
		{"2026-01", "211400", "error_count"},
	}
	// The indicators' places in Definitions, which this order assumes.
	pos := map[string]int{}
	for i, d := range metrics.Definitions() {
		pos[d.ID] = i
	}
	if !(pos["score"] < pos["rank"] && pos["rank"] < pos["work_coverage"] && pos["on_time"] < pos["error_count"]) {
		t.Fatalf("Definitions order changed: score %d rank %d work_coverage %d on_time %d error_count %d",
			pos["score"], pos["rank"], pos["work_coverage"], pos["on_time"], pos["error_count"])
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		vs := make([]metrics.Value, len(want))
		for i, w := range want {
			vs[i] = metrics.Value{Month: w[0], CityCode: w[1], Indicator: w[2]}
		}
		r.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
		metrics.SortValues(vs)
		var got [][3]string
		for _, v := range vs {
			got = append(got, [3]string{v.Month, v.CityCode, v.Indicator})
		}
		if !slices.Equal(got, want) {
			t.Fatalf("order\n%v\nwant\n%v", got, want)
		}
	}
}

// A month never computed, in a warehouse where nothing was computed yet
// (no indicator tables) and in one where another month was, is
// ErrNotComputed for Load and LoadRun; a month that is no month is refused.
func TestLoadNotComputed(t *testing.T) {
	ctx := context.Background()
	w, err := transform.Open(ctx, filepath.Join(t.TempDir(), "ufa.duckdb"), transform.Options{Book: spec.Load()})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	check := func(when string) {
		t.Helper()
		// The library names the month; cmd/ufa adds what to run
		// (cmd/ufa's advice tests check those words).
		var nc *metrics.NotComputedError
		if _, err := metrics.Load(ctx, w.DB(), "2026-01"); !errors.As(err, &nc) || nc.Month != "2026-01" || !errors.Is(err, metrics.ErrNotComputed) {
			t.Errorf("%s: Load: %v, want a NotComputedError for 2026-01", when, err)
		}
		if _, err := metrics.LoadRun(ctx, w.DB(), "2026-01"); !errors.Is(err, metrics.ErrNotComputed) {
			t.Errorf("%s: LoadRun: %v, want ErrNotComputed", when, err)
		}
	}
	check("nothing computed")
	if err := metrics.Compute(ctx, w.DB(), "2025-12", nil); err != nil {
		t.Fatal(err)
	}
	check("another month computed")
	vals, err := metrics.Load(ctx, w.DB(), "2025-12")
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) == 0 || vals[0].CityCode != spec.ProvinceCode || vals[0].Month != "2025-12" {
		t.Errorf("the month computed: %d values, first %+v", len(vals), vals[0])
	}
	run, err := metrics.LoadRun(ctx, w.DB(), "2025-12")
	if err != nil || run.Month != "2025-12" || run.Scheme == nil || len(run.SubmissionIDs) != 0 {
		t.Errorf("run of a month nobody sent: %+v, %v; want the month, the scheme, no workbooks", run, err)
	}
	if _, err := metrics.Load(ctx, w.DB(), "2025-13"); err == nil || errors.Is(err, metrics.ErrNotComputed) {
		t.Errorf("month 2025-13: %v, want a refusal", err)
	}
}
