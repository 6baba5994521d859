package metrics

import (
	"context"
	"strings"
	"testing"

	"ufa/internal/testing/testbook"
)

func TestExplain(t *testing.T) {
	ctx := context.Background()
	f := buildFixture(t)
	if err := Compute(ctx, f.db, "2026-02", nil); err != nil {
		t.Fatal(err)
	}
	explain := func(city, ind string) *Explanation {
		t.Helper()
		e, err := Explain(ctx, f.db, "2026-02", city, ind)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	column := func(s RowSet, name string) int {
		t.Helper()
		for i, c := range s.Columns {
			if c == name {
				return i
			}
		}
		t.Fatalf("no column %s in %v", name, s.Columns)
		return -1
	}

	// A's work coverage: 2 of its 4 organizations, each listed.
	e := explain("沈阳市", "work_coverage")
	if e.CityCode != "210100" || !eq(e.Numerator, 2) || !eq(e.Denominator, 4) || !eq(e.Value, 0.5) || !eq(e.Stored, 0.5) {
		t.Errorf("A work_coverage: %v / %v = %v (stored %v)", e.Numerator, e.Denominator, e.Value, e.Stored)
	}
	if len(e.Sets) != 1 || len(e.Sets[0].Rows) != 4 {
		t.Fatalf("A work_coverage rows: %+v", e.Sets)
	}
	in := column(e.Sets[0], "计入分子")
	n := 0
	for _, r := range e.Sets[0].Rows {
		if r[in] == true {
			n++
		}
	}
	if n != 2 || len(e.Notes) != 0 {
		t.Errorf("%d rows in the numerator, notes %v", n, e.Notes)
	}

	// The province's visit coverage: A r0, A r2, P (listed by both cities:
	// two rows, one person), P and r0 visited.
	e = explain("210000", "key_contact_visit_coverage_3m")
	if !eq(e.Numerator, 2) || !eq(e.Denominator, 3) {
		t.Errorf("province visit coverage %v / %v", e.Numerator, e.Denominator)
	}
	ids := map[string]bool{}
	idc := column(e.Sets[0], "公民身份号码")
	for _, r := range e.Sets[0].Rows {
		ids[r[idc].(string)] = true
	}
	if len(e.Sets[0].Rows) != 4 || len(ids) != 3 {
		t.Errorf("province key contacts: %d rows, %d persons", len(e.Sets[0].Rows), len(ids))
	}
	for id := range ids {
		if strings.Count(id, "*") != 8 {
			t.Errorf("ID %q not masked", id)
		}
	}

	// visits per key contact: the numerator's rows are the participations.
	e = explain("大连市", "visits_per_key_contact_3m")
	if !eq(e.Value, 2) || len(e.Sets) != 2 || len(e.Sets[0].Rows) != 2 || len(e.Sets[1].Rows) != 1 {
		t.Errorf("B visits per key contact: %v, %+v", e.Value, e.Sets)
	}

	// No value: C did not report; B has no January to compare with.
	e = explain("210300", "org_count")
	if e.Value != nil || len(e.Notes) == 0 || !strings.Contains(e.Notes[0], "没有被接收的工作簿") {
		t.Errorf("C org_count: %v %v", e.Value, e.Notes)
	}
	e = explain("大连市", "rep_entries")
	if e.Value != nil || len(e.Notes) == 0 || !strings.Contains(e.Notes[0], "上月") {
		t.Errorf("B rep_entries: %v %v", e.Value, e.Notes)
	}
	// C's attempts are listed behind its error count.
	e = explain("鞍山市", "error_count")
	if !eq(e.Value, 1) || len(e.Sets[0].Rows) != 1 {
		t.Errorf("C error_count %v, rows %v", e.Value, e.Sets)
	}

	// A's score is the sum of its points.
	e = explain("沈阳市", "score")
	pts := column(e.Sets[0], "得分")
	sum := 0.0
	for _, r := range e.Sets[0].Rows {
		sum += r[pts].(float64)
	}
	if len(e.Sets[0].Rows) != 11 || e.Value == nil || !near(sum, *e.Value) || !near(sum, febExpected["score"][1].(float64)) {
		t.Errorf("A score %v, points sum %v over %d items", e.Value, sum, len(e.Sets[0].Rows))
	}
	// The ranking: B then A.
	e = explain("沈阳市", "rank")
	code := column(e.Sets[0], "城市代码")
	if !eq(e.Value, 2) || len(e.Sets[0].Rows) != 2 || e.Sets[0].Rows[0][code] != "210200" {
		t.Errorf("rank %v: %v", e.Value, e.Sets)
	}

	// A workbook arriving after the computation: the live value differs
	// from the stored one, and Explain says so.
	f.submit("cFeb2", testbook.ValidFor(f.C, "2026-02"), f.C, "2026-02", "2026-03-12 09:00", 0)
	e = explain("鞍山市", "org_count")
	if !eq(e.Value, 3) || e.Stored != nil || len(e.Notes) == 0 || !strings.Contains(e.Notes[len(e.Notes)-1], "重新运行") {
		t.Errorf("C after its late workbook: %v (stored %v) %v", e.Value, e.Stored, e.Notes)
	}

	for _, bad := range [][2]string{{"长春市", "org_count"}, {"沈阳市", "nope"}} {
		if _, err := Explain(ctx, f.db, "2026-02", bad[0], bad[1]); err == nil {
			t.Errorf("Explain %v: no error", bad)
		}
	}
	if _, err := Explain(ctx, f.db, "2026-05", "沈阳市", "score"); err == nil || !strings.Contains(err.Error(), "尚未计算") {
		t.Errorf("score of a month never computed: %v", err)
	}
}

func eq(p *float64, v float64) bool { return p != nil && near(*p, v) }

// Every indicator's drill-down runs for a reporting city, a city that did
// not report and the province, and agrees with the stored value.
func TestExplainEveryIndicator(t *testing.T) {
	ctx := context.Background()
	f := buildFixture(t)
	if err := Compute(ctx, f.db, "2026-02", nil); err != nil {
		t.Fatal(err)
	}
	for _, d := range Definitions() {
		for _, city := range []string{"210000", "210100", "210200", "210300"} {
			e, err := Explain(ctx, f.db, "2026-02", city, d.ID)
			if err != nil {
				t.Errorf("%s %s: %v", d.ID, city, err)
				continue
			}
			if !sameValue(e.Value, e.Stored) {
				t.Errorf("%s %s: explained %v, stored %v", d.ID, city, e.Value, e.Stored)
			}
			want := febWant(city, d.ID)
			if (want == nil) != (e.Value == nil) || (want != nil && !near(*e.Value, want.(float64))) {
				t.Errorf("%s %s: explained %v, want %v", d.ID, city, e.Value, want)
			}
			if d.Scored() && len(e.Sets) != len(d.rows) {
				t.Errorf("%s %s: %d row sets, want %d", d.ID, city, len(e.Sets), len(d.rows))
			}
			for _, s := range e.Sets {
				for _, r := range s.Rows {
					if len(r) != len(s.Columns) {
						t.Errorf("%s %s %s: row %v for columns %v", d.ID, city, s.Title, r, s.Columns)
					}
				}
			}
		}
	}
}
