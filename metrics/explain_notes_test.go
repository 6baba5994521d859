package metrics

import (
	"context"
	"slices"
	"testing"
)

// The notes behind a rank: a ranked city has none, a city without an
// accepted workbook is told why it has no rank, the province that it has
// none (the hand-worked fixture: 沈阳市 and 大连市 report in February,
// 鞍山市 does not).
func TestExplainRankNotes(t *testing.T) {
	ctx := context.Background()
	f := buildFixture(t)
	if err := Compute(ctx, f.db, "2026-02", nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		city string
		want []string
	}{
		{"沈阳市", nil},
		{"鞍山市", []string{"该市本月没有被接收的工作簿，不参加排名"}},
		{"210000", []string{"全省没有排名"}},
	} {
		e, err := Explain(ctx, f.db, "2026-02", c.city, IndicatorRank)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(e.Notes, c.want) {
			t.Errorf("%s rank notes %q, want %q", c.city, e.Notes, c.want)
		}
	}
}
