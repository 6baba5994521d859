package metrics

import (
	"context"
	"slices"
	"strings"
	"testing"

	"ufa/internal/testing/testbook"
)

// TestEnsure: the fixture's months are missing until computed; a workbook
// attempt of a month makes that month and every later month whose windows
// read it stale (a rejected attempt too: error_count reads it), and
// Ensure recomputes exactly those, with the scheme each was computed with.
func TestEnsure(t *testing.T) {
	ctx := context.Background()
	f := buildFixture(t)
	all := []string{"2025-12", "2026-01", "2026-02", "2026-03", "2026-04"}
	stale := func(want ...string) {
		t.Helper()
		got, err := Stale(ctx, f.db, all...)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("stale %v, want %v", got, want)
		}
	}
	// Never computed: the months with attempts (Feb has a rejected one of
	// 鞍山市 too); March and April have none and nothing to compute.
	stale("2025-12", "2026-01", "2026-02")

	custom, err := ParseScheme([]byte(strings.Replace(string(DefaultScheme().YAML()), "默认考核方案", "另一方案", 1)))
	if err != nil || custom.Name != "另一方案" {
		t.Fatalf("custom scheme: %v %v", custom, err)
	}
	if err := Compute(ctx, f.db, "2026-02", custom); err != nil {
		t.Fatal(err)
	}
	stale("2025-12", "2026-01")
	done, err := Ensure(ctx, f.db, all...)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(done, []string{"2025-12", "2026-01"}) {
		t.Fatalf("Ensure computed %v", done)
	}
	stale()
	if done, err := Ensure(ctx, f.db, all...); err != nil || len(done) != 0 {
		t.Fatalf("Ensure of current months computed %v (%v)", done, err)
	}

	// A January correction of 鞍山市 (its activity moved to another day):
	// January and February (whose 3-month window reads January) are
	// stale; December is not.
	janBefore, err := Load(ctx, f.db, "2026-01")
	if err != nil {
		t.Fatal(err)
	}
	cJan := testbook.ValidFor(f.C, "2026-01")
	cJan.Sheet("联系活动").Rows = cJan.Sheet("联系活动").Rows[:2] // one activity instead of two
	setParticipants(cJan, []any{actID(f.C, "2026-01", 1), rep(f.C, 0)})
	f.submit("cJan2", cJan, f.C, "2026-01", "2026-03-10 09:00", 0)
	stale("2026-01", "2026-02")
	if err := CheckCurrent(ctx, f.db, "2026-02"); err == nil {
		t.Error("CheckCurrent of a stale month gives no error")
	}
	done, err = Ensure(ctx, f.db, "2026-02")
	if err != nil || !slices.Equal(done, []string{"2026-02"}) {
		t.Fatalf("Ensure(2026-02) computed %v (%v)", done, err)
	}
	stale("2026-01")
	run, err := LoadRun(ctx, f.db, "2026-02")
	if err != nil {
		t.Fatal(err)
	}
	if run.Scheme.Name != "另一方案" {
		t.Errorf("recomputed with scheme %q, want the month's own", run.Scheme.Name)
	}
	if _, err := Ensure(ctx, f.db, "2026-01"); err != nil {
		t.Fatal(err)
	}
	janAfter, err := Load(ctx, f.db, "2026-01")
	if err != nil {
		t.Fatal(err)
	}
	if a, b := value(janBefore, f.C.Code, "activity_count"), value(janAfter, f.C.Code, "activity_count"); a == nil || b == nil || *a != 2 || *b != 1 {
		t.Errorf("鞍山市's January activity_count %v → %v, want 2 → 1", Machine(a), Machine(b))
	}

	// A rejected attempt of March: March has something to compute now.
	cMar := testbook.ValidFor(f.C, "2026-03")
	cMar.Set("封面", 0, "联系电话", "")
	f.submit("cMar", cMar, f.C, "2026-03", "2026-04-03 09:00", 1)
	stale("2026-03")
}

func value(vs []Value, city, indicator string) *float64 {
	for _, v := range vs {
		if v.CityCode == city && v.Indicator == indicator {
			return v.Value
		}
	}
	return nil
}
