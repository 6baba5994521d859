package metrics_test

import (
	"math"
	"testing"
	"time"

	"ufa/metrics"
)

// How values are shown to people and machines (metrics.md: rates in
// percent with one decimal, scores two decimals; flags 是/否 for a city),
// every branch with the exact text expected.
func TestDisplayExact(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	rate := metrics.Definition{ID: "r", Unit: metrics.UnitRate, Province: metrics.ProvinceUnion}
	ratio := metrics.Definition{ID: "q", Unit: metrics.UnitRatio, Province: metrics.ProvinceUnion}
	score := metrics.Definition{ID: "s", Unit: metrics.UnitScore, Province: metrics.ProvinceOwn}
	count := metrics.Definition{ID: "c", Unit: metrics.UnitCount, Province: metrics.ProvinceSum}
	rank := metrics.Definition{ID: "k", Unit: metrics.UnitRank, Province: metrics.ProvinceNone}
	flagMean := metrics.Definition{ID: "fm", Unit: metrics.UnitFlag, Province: metrics.ProvinceMean}
	flagCount := metrics.Definition{ID: "fc", Unit: metrics.UnitFlag, Province: metrics.ProvinceCount}
	const city, prov = "210100", "210000"
	for _, c := range []struct {
		d    metrics.Definition
		city string
		v    *float64
		want string
	}{
		{rate, city, nil, "—"},
		{rate, city, f(math.NaN()), "—"},
		{rate, city, f(0.634), "63.4%"},
		{rate, city, f(0.6346), "63.5%"},
		{rate, prov, f(1), "100.0%"},
		{rate, city, f(0), "0.0%"},
		{ratio, city, f(1.5), "1.50"},
		{ratio, city, f(2.0 / 3), "0.67"},
		{score, city, f(75.773809), "75.77"},
		{score, prov, f(100), "100.00"},
		{count, city, f(12), "12"},
		{count, prov, f(-3), "-3"},
		{count, city, f(2.5), "2.50"},
		{count, city, f(1e15), "1000000000000000.00"},
		{count, city, f(1e15 - 1), "999999999999999"},
		{count, city, f(-1e15), "-1000000000000000.00"},
		{rank, city, f(3), "3"},
		{flagMean, city, f(1), "是"},
		{flagMean, city, f(0), "否"},
		{flagMean, city, f(0.5), "0.50"},
		{flagMean, prov, f(0.5), "50.0%"},
		{flagMean, prov, f(1), "100.0%"},
		{flagCount, prov, f(13), "13"},
		{flagCount, prov, f(1), "1"},
		{flagCount, prov, f(0), "0"},
		{flagCount, city, f(1), "是"},
		{flagCount, city, f(0), "否"},
	} {
		if got := metrics.Display(c.d, c.city, c.v); got != c.want {
			t.Errorf("Display(%s %s, %s, %v) = %q, want %q", c.d.Unit, c.d.Province, c.city, deref(c.v), got, c.want)
		}
	}
	if got := metrics.Percent(0.0005); got != "0.1%" {
		t.Errorf("Percent(0.0005) = %q, want 0.1%%", got)
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func TestMachineExact(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	for _, c := range []struct {
		v    *float64
		want string
	}{
		{nil, ""},
		{f(math.NaN()), ""},
		{f(math.Inf(1)), ""},
		{f(math.Inf(-1)), ""},
		{f(0.634), "0.634"},
		{f(1.0 / 3), "0.3333333333333333"},
		{f(1e21), "1000000000000000000000"},
		{f(-2), "-2"},
		{f(0), "0"},
	} {
		if got := metrics.Machine(c.v); got != c.want {
			t.Errorf("Machine(%v) = %q, want %q", deref(c.v), got, c.want)
		}
	}
}

func TestCellExact(t *testing.T) {
	day := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		v    any
		want string
	}{
		{nil, ""},
		{true, "是"},
		{false, "否"},
		{day, "2026-01-31"},
		{day.Add(time.Hour), "2026-01-31 01:00:00"},
		{day.Add(time.Minute), "2026-01-31 00:01:00"},
		{day.Add(time.Second), "2026-01-31 00:00:01"},
		{day.Add(time.Millisecond), "2026-01-31 00:00:00"},
		{1.5, "1.5"},
		{2.0, "2"},
		{100.0, "100"},
		{0.12345, "0.1235"},
		{-0.00001, "0"},
		{-1.25, "-1.25"},
		{"沈阳市", "沈阳市"},
		{int64(7), "7"},
	} {
		if got := metrics.Cell(c.v); got != c.want {
			t.Errorf("Cell(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
}
