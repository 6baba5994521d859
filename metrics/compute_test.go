package metrics

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ufa/internal/spec"
)

// null marks an expected null value.
var null any = nil

// febExpected is every indicator of 2026-02 for {province, A 沈阳, B 大连},
// worked out by hand from the fixture (fixture_test.go). The province is
// A ∪ B: C did not report Feb. Organizations of the province: A's o0 o1 o2
// and X, B's X(=B o0) o1 o2: six distinct credit codes. Representatives:
// A's r0 r1 r2 and P, B's P(=B r0) r1 r2: six distinct persons.
var febExpected = map[string][3]any{
	// A: o0 o1 o2 X = 4; B: 3; province 6 (X once).
	"org_count": {6.0, 4.0, 3.0},
	// A: o0 only (A says X has none) = 1; B: X(o0) = 1; province: A o0, and
	// X because B reports its party organization = 2.
	"party_org_count":    {2.0, 1.0, 1.0},
	"party_org_coverage": {2.0 / 6, 1.0 / 4, 1.0 / 3},
	// party or liaison. A: o0, o1 = 2 (X neither in A); B: X, o1 = 2;
	// province: A o0, A o1, X, B o1 = 4.
	"work_covered_count": {4.0, 2.0, 2.0},
	"work_coverage":      {4.0 / 6, 2.0 / 4, 2.0 / 3},
	// 行业协会商会 (o0, X) and 民非 in 教育 (o1). A: o0 o1 X = 3; B: X o1 = 2;
	// province: A o0, A o1, X, B o1 = 4.
	"key_sector_org_count": {4.0, 3.0, 2.0},
	// covered among them. A: o0 o1 (X not covered in A) = 2/3; B: 2/2;
	// province: all 4 (X covered through B) = 4/4.
	"key_sector_work_coverage": {1.0, 2.0 / 3, 1.0},
	// A: 25+40+12+30 = 107; B: 25+40+12 = 77; province: A o0 o1 o2 = 77,
	// X the larger of 30 and 25 = 30, B o1 o2 = 52: 159.
	"staff_total": {159.0, 107.0, 77.0},
	// A: 20+40+9+28 = 97; B: 20+40+9 = 69; province 69 + max(28, 20) + 49 = 146.
	"non_party_staff": {146.0, 97.0, 69.0},
	// leaders ≥ 1. A: o0 o1 = 2/4; B: X o1 = 2/3; province: A o0, A o1, X
	// (2 leaders in B), B o1 = 4/6.
	"non_party_leader_org_ratio": {4.0 / 6, 2.0 / 4, 2.0 / 3},
	// A: r0 r1 r2 P = 4; B: P r1 r2 = 3; province 6.
	"rep_count": {6.0, 4.0, 3.0},
	// 100 × reps / orgs: A 100×4/4, B 100×3/3, province 100×6/6.
	"reps_per_100_orgs": {100.0, 100.0, 100.0},
	// A: r0 r1 r2 (r2 joined in Feb) = 3, P 否 in A; B: P r1 = 2; province:
	// A r0 r1 r2, P (是 in B), B r1 = 5.
	"talent_pool_count": {5.0, 3.0, 2.0},
	// A: r0 r2 = 2; B: P = 1; province: A r0, A r2, P = 3.
	"key_contact_count": {3.0, 2.0, 1.0},
	// r1 of each city: A 1, B 1, province 2.
	"new_media_rep_count": {2.0, 1.0, 1.0},
	// npc or cppcc other than 无. A: r0 (npc 市), r2 (cppcc 省) = 2; B: P (npc 市
	// in B), r2 = 2; province: A r0, A r2, P, B r2 = 4.
	"npc_cppcc_rep_count": {4.0, 2.0, 2.0},
	// A: Jan {r0 r1 r2 a3} → Feb {r0 r1 r2 P}: P entered, a3 left. B has
	// no Jan workbook: null, and left out of the province, which is A's.
	"rep_entries": {1.0, 1.0, null},
	"rep_exits":   {1.0, 1.0, null},
	// A: 3 of 6 systems; B: 6 of 6; province: the mean (0.5 + 1) / 2.
	"mechanism_completeness": {0.75, 0.5, 1.0},
	// A 是, B 否; province: the mean.
	"budget_included": {0.5, 1.0, 0.0},
	// A 3, B 5; province: the sum.
	"fulltime_cadres": {8.0, 3.0, 5.0},
	// A 否, B 是; province: the mean.
	"federation_established": {0.5, 0.0, 1.0},
	// Feb activities: 01 走访 (leader 是) and 02 培训 (leader 否) in each city.
	"activity_count":        {4.0, 2.0, 2.0},
	"visit_count":           {2.0, 1.0, 1.0},
	"leader_activity_count": {2.0, 1.0, 1.0},
	// A 1, B 2; province the sum.
	"joint_meeting_count": {3.0, 1.0, 2.0},
	// A 1, B 2; province the sum.
	"typical_case_count": {3.0, 1.0, 2.0},
	// 3m = Dec..Feb, 走访 participants. A's key contacts r0, r2: r0 visited
	// Dec, Jan, Feb; r2 never: 1/2. B's key contact P: visited Dec and Feb
	// in B: 1/1. Province key contacts A r0, A r2, P: r0 and P visited: 2/3.
	"key_contact_visit_coverage_3m": {2.0 / 3, 0.5, 1.0},
	// Participations of key contacts in 走访. A: r0 ×3 = 3 / 2 contacts; B: P
	// ×2 = 2 / 1; province: A r0 ×3, P ×1 in A's Feb visit, P ×2 in B's = 6 / 3.
	"visits_per_key_contact_3m": {2.0, 1.5, 2.0},
	// ytd = Jan..Feb, 培训 or 研讨学习. A: Jan 02 (研讨学习) r1, a3; Feb 02 r0 →
	// current r0, r1 of r0 r1 r2 P = 2/4 (a3 has left). B: Feb 02 P, r1 =
	// 2/3 (Dec's training is outside ytd). Province: A r0, A r1, P, B r1 = 4/6.
	"training_coverage_ytd": {4.0 / 6, 0.5, 2.0 / 3},
	// A: Jan 01 and 02 (leader 是), Feb 01 = 3; B: Feb 01 = 1 (Dec outside
	// ytd); province 4.
	"leader_activity_count_ytd": {4.0, 3.0, 1.0},
	// A: Jan 1 + Feb 1; B: Feb 2 (skipped Jan); province 4.
	"joint_meeting_count_ytd": {4.0, 2.0, 2.0},
	// A: Jan r1 (adopted), Jan a3 (adopted, since left: still counts), Feb
	// r1 (not adopted) = 3, 2 adopted; B: Feb r1 (adopted), r2 (not) = 2, 1
	// adopted; province 5, 3 adopted.
	"suggestion_count_ytd":         {5.0, 3.0, 2.0},
	"suggestions_per_100_reps_ytd": {100 * 5.0 / 6, 100 * 3.0 / 4, 100 * 2.0 / 3},
	"suggestion_adoption_rate_ytd": {3.0 / 5, 2.0 / 3, 1.0 / 2},
	// A: Jan r0 成功, Feb r0 待定 = 2; B: Feb P 成功, r1 未成功 = 2; province 4.
	"nomination_count_ytd":         {4.0, 2.0, 2.0},
	"nominations_per_100_reps_ytd": {100 * 4.0 / 6, 100 * 2.0 / 4, 100 * 2.0 / 3},
	// 成功 / (成功 + 未成功): A 1/1 (待定 in neither); B 1/2; province 2/3.
	"nomination_success_rate_ytd": {2.0 / 3, 1.0, 0.5},
	// A and B have accepted Feb workbooks; province: 2 cities.
	"submitted": {2.0, 1.0, 1.0},
	// A's first accepted workbook was filed 03-03 (≤ 03-05), its late
	// resubmission does not matter; B filed 03-09; province: 1 city.
	"on_time": {1.0, 1.0, 0.0},
	// A 2 (both accepted, one superseded); B 1 (the same file again is not
	// an attempt); province A 2 + B 1 + C's rejected 1 = 4.
	"submission_count": {4.0, 2.0, 1.0},
	// Latest attempts: A 0, B 0, C 1; province 1.
	"error_count": {1.0, 0.0, 0.0},
	// Default scheme, month 2: prorated targets training 0.8×2/12, suggestions
	// 30×2/12 = 5, nominations 5×2/12.
	// A: 20×0.5 + 15×(0.25/0.6) + 10×(2/3) + 15×0.5 + 10×1 (0.5 ≥ 0.1333)
	//    + 5×1 (100 ≥ 10) + 5×1 (75 ≥ 5) + 5×1 (50 ≥ 0.8333) + 5×1 (0.5 ≥ 0.3)
	//    + 5×0.5 + 5×1 = 10 + 6.25 + 6.6667 + 7.5 + 10 + 20 + 2.5 + 5 = 67.9167
	// B: 20×(2/3) + 15×((1/3)/0.6) + 10×1 + 15×1 + 10×1 + 5+5+5 + 5×1 (0.667 ≥ 0.3)
	//    + 5×1 + 5×0 = 13.3333 + 8.3333 + 10 + 15 + 10 + 15 + 5 + 5 = 81.6667
	// Province: 20×(4/6) + 15×((2/6)/0.6) + 10×1 + 15×(2/3) + 10×1 + 5+5+5
	//    + 5×1 (0.667 ≥ 0.3) + 5×0.75 + 5×(1/14) (on_time as the share of
	//    14 cities) = 13.3333 + 8.3333 + 10 + 10 + 10 + 15 + 5 + 3.75 + 0.3571
	//    = 75.7738
	"score": {20*(4.0/6) + 15*((2.0/6)/0.6) + 10 + 15*(2.0/3) + 10 + 15 + 5 + 3.75 + 5.0/14,
		10 + 15*(0.25/0.6) + 10*(2.0/3) + 7.5 + 10 + 20 + 2.5 + 5,
		20*(2.0/3) + 15*((1.0/3)/0.6) + 10 + 15 + 10 + 15 + 5 + 5},
	// B 81.67 first, A 67.92 second; the province has no rank.
	"rank": {null, 2.0, 1.0},
}

// submissionOnly are the indicators a city without an accepted workbook
// still has: C (one rejected attempt with 1 error) and the 11 cities that
// sent nothing.
func expectedNonReporting(city, indicator string) any {
	switch indicator {
	case "submitted", "on_time":
		return 0.0
	case "submission_count":
		if city == "210300" {
			return 1.0
		}
		return 0.0
	case "error_count":
		if city == "210300" {
			return 1.0
		}
		return null
	}
	return null
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

// checkValues compares every stored value of a month with want(city,
// indicator), for the province and all 14 cities.
func checkValues(t *testing.T, vals []Value, month string, want func(city, indicator string) any) {
	t.Helper()
	book := spec.Load()
	defs := Definitions()
	if len(vals) != (len(book.Cities)+1)*len(defs) {
		t.Errorf("%d values, want %d places × %d indicators", len(vals), len(book.Cities)+1, len(defs))
	}
	got := map[[2]string]*float64{}
	for _, v := range vals {
		if v.Month != month {
			t.Errorf("value of month %s", v.Month)
		}
		got[[2]string{v.CityCode, v.Indicator}] = v.Value
	}
	places := []string{spec.ProvinceCode}
	for _, c := range book.Cities {
		places = append(places, c.Code)
	}
	for _, p := range places {
		for _, d := range defs {
			g, ok := got[[2]string{p, d.ID}]
			if !ok {
				t.Errorf("%s %s: no row", p, d.ID)
				continue
			}
			w := want(p, d.ID)
			switch {
			case w == nil && g != nil:
				t.Errorf("%s %s = %v, want null", p, d.ID, *g)
			case w != nil && g == nil:
				t.Errorf("%s %s = null, want %v", p, d.ID, w)
			case w != nil && !near(*g, w.(float64)):
				t.Errorf("%s %s = %v, want %v", p, d.ID, *g, w)
			}
		}
	}
}

func febWant(city, indicator string) any {
	switch city {
	case spec.ProvinceCode:
		return febExpected[indicator][0]
	case "210100":
		return febExpected[indicator][1]
	case "210200":
		return febExpected[indicator][2]
	}
	return expectedNonReporting(city, indicator)
}

func TestFixtureEveryIndicator(t *testing.T) {
	ctx := context.Background()
	f := buildFixture(t)
	for _, d := range Definitions() {
		if _, ok := febExpected[d.ID]; !ok {
			t.Errorf("no expected value for %s", d.ID)
		}
	}
	if err := Compute(ctx, f.db, "2026-02", nil); err != nil {
		t.Fatal(err)
	}
	vals, err := Load(ctx, f.db, "2026-02")
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, vals, "2026-02", febWant)

	// Output order: the province first, then the cities by code.
	if vals[0].CityCode != spec.ProvinceCode || vals[0].CityName != spec.ProvinceName {
		t.Errorf("first value %+v, want the province's", vals[0])
	}
	for i := 1; i < len(vals); i++ {
		if vals[i-1].CityCode != vals[i].CityCode && vals[i-1].CityCode != spec.ProvinceCode && vals[i-1].CityCode > vals[i].CityCode {
			t.Errorf("%s before %s", vals[i-1].CityCode, vals[i].CityCode)
		}
	}

	// Computing again replaces the month's rows.
	if err := Compute(ctx, f.db, "2026-02", nil); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := f.db.QueryRow(`SELECT count(*) FROM indicator_values WHERE month = '2026-02'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if want := 15 * len(Definitions()); n != want {
		t.Errorf("%d rows after recomputing, want %d", n, want)
	}

	// The run names the scheme and the workbooks used: the current ones of
	// A and B for Dec..Feb, not A's superseded Feb nor anything of C.
	run, err := LoadRun(ctx, f.db, "2026-02")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, k := range []string{"aDec", "bDec", "aJan", "aFeb2", "bFeb"} {
		want = append(want, itoa(f.ids[k]))
	}
	if got := strings.Join(run.SubmissionIDs, ","); got != strings.Join(want, ",") {
		t.Errorf("submissions used %s, want %s", got, strings.Join(want, ","))
	}
	if run.Scheme.Name != DefaultScheme().Name || string(run.Scheme.YAML()) != string(DefaultSchemeYAML()) {
		t.Errorf("run scheme %q", run.Scheme.Name)
	}
}

func itoa(i int64) string { return fmtFloat(float64(i)) }

func TestFixtureOtherMonths(t *testing.T) {
	ctx := context.Background()
	f := buildFixture(t)
	// January: A and C report (both had December), B skipped.
	if err := Compute(ctx, f.db, "2026-01", nil); err != nil {
		t.Fatal(err)
	}
	vals, err := Load(ctx, f.db, "2026-01")
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]string]*float64{}
	for _, v := range vals {
		got[[2]string{v.CityCode, v.Indicator}] = v.Value
	}
	for _, c := range []struct {
		city, indicator string
		want            any
	}{
		// A: Dec {r0 r1 r2} → Jan {r0 r1 r2 a3}; C: the same three both months.
		{"210100", "rep_entries", 1.0}, {"210100", "rep_exits", 0.0},
		{"210300", "rep_entries", 0.0}, {"210300", "rep_exits", 0.0},
		{"210000", "rep_entries", 1.0}, {"210000", "rep_exits", 0.0},
		// B skipped the month: null, but submitted is 0.
		{"210200", "org_count", null}, {"210200", "rep_entries", null}, {"210200", "submitted", 0.0},
		// ytd is January alone: A's 研讨学习 had r1 and a3 of r0 r1 r2 a3.
		{"210100", "training_coverage_ytd", 0.5},
		// C's ValidFor training had r0 and r1 of three.
		{"210300", "training_coverage_ytd", 2.0 / 3},
		// 3m = Nov..Jan: A's key contact r0 visited in Dec and Jan.
		{"210100", "key_contact_visit_coverage_3m", 1.0}, {"210100", "visits_per_key_contact_3m", 2.0},
		// Province: 3 organizations of A and 3 of C; 4 persons of A, 3 of C.
		{"210000", "org_count", 6.0}, {"210000", "rep_count", 7.0},
		// Suggestions in January: A 2 (r1, a3), C 1.
		{"210000", "suggestion_count_ytd", 3.0},
		{"210000", "submitted", 2.0}, {"210000", "on_time", 2.0},
	} {
		g := got[[2]string{c.city, c.indicator}]
		switch {
		case c.want == nil && g != nil:
			t.Errorf("Jan %s %s = %v, want null", c.city, c.indicator, *g)
		case c.want != nil && (g == nil || !near(*g, c.want.(float64))):
			t.Errorf("Jan %s %s = %v, want %v", c.city, c.indicator, g, c.want)
		}
	}

	// March: nobody reported. Only the submission indicators have values;
	// no score, no rank, no province value but the counts.
	if err := Compute(ctx, f.db, "2026-03", nil); err != nil {
		t.Fatal(err)
	}
	vals, err = Load(ctx, f.db, "2026-03")
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, vals, "2026-03", func(city, indicator string) any {
		switch indicator {
		case "submitted", "on_time", "submission_count":
			return 0.0
		}
		return null
	})
	if _, err := Load(ctx, f.db, "2026-04"); err == nil || !strings.Contains(err.Error(), "尚未计算") {
		t.Errorf("loading a month never computed: %v", err)
	}
}

func TestFixtureCustomScheme(t *testing.T) {
	ctx := context.Background()
	f := buildFixture(t)
	path := filepath.Join(t.TempDir(), "试行方案.yaml")
	text := `name: 试行方案
deadline_day: 10
indicators:
  - {indicator: staff_total,   weight: 50, target: 100}
  - {indicator: work_coverage, weight: 30, target: 1}
  - {indicator: on_time,       weight: 20, target: 1}
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseScheme(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := Compute(ctx, f.db, "2026-02", s); err != nil {
		t.Fatal(err)
	}
	vals, err := Load(ctx, f.db, "2026-02")
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, vals, "2026-02", func(city, indicator string) any {
		p, a, b := city == spec.ProvinceCode, city == "210100", city == "210200"
		switch {
		// The deadline is now 03-10: B's 03-09 is on time.
		case indicator == "on_time" && p:
			return 2.0
		case indicator == "on_time" && (a || b):
			return 1.0
		// A: 50×min(1, 107/100) + 30×0.5 + 20×1 = 50 + 15 + 20 = 85
		case indicator == "score" && a:
			return 85.0
		// B: 50×(77/100) + 30×(2/3) + 20×1 = 38.5 + 20 + 20 = 78.5
		case indicator == "score" && b:
			return 78.5
		// Province: 50×min(1, 159/100) + 30×(4/6) + 20×(2/14) = 50 + 20 + 2.857
		case indicator == "score" && p:
			return 50 + 20 + 20*2.0/14
		case indicator == "rank" && a:
			return 1.0
		case indicator == "rank" && b:
			return 2.0
		}
		return febWant(city, indicator)
	})
	run, err := LoadRun(ctx, f.db, "2026-02")
	if err != nil {
		t.Fatal(err)
	}
	if run.Scheme.Name != "试行方案" || string(run.Scheme.YAML()) != text || run.Scheme.DeadlineDay != 10 {
		t.Errorf("stored scheme %q, deadline %d", run.Scheme.Name, run.Scheme.DeadlineDay)
	}
}

func TestRankTies(t *testing.T) {
	book := spec.Load()
	m, _ := ParseMonth("2026-05")
	one := func(id string, target float64) *Scheme {
		return &Scheme{Name: "t", DeadlineDay: 5, Items: []SchemeItem{{Indicator: id, Weight: 100, Target: target}}}
	}
	for _, tc := range []struct {
		name   string
		scheme *Scheme
		vals   map[valueKey]float64 // submitted is set for the cities listed in want and 210500
		want   []string             // cities by rank
	}{
		{"coverage then code", one("work_coverage", 0.5), map[valueKey]float64{
			// 210100 and 210200 both reach the target: 100 each; 210200 has
			// the higher coverage. 210300 ties 210200 on both: code order.
			{"210100", "work_coverage"}: 0.5, {"210200", "work_coverage"}: 0.9, {"210300", "work_coverage"}: 0.9,
			// 210400 has no coverage (no organizations): 0 points, last.
		}, []string{"210200", "210300", "210100", "210400"}},
		{"null coverage after", one("on_time", 1), map[valueKey]float64{
			{"210100", "on_time"}: 1, {"210200", "on_time"}: 1, {"210200", "work_coverage"}: 0.1,
		}, []string{"210200", "210100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range tc.want {
				tc.vals[valueKey{c, "submitted"}] = 1
			}
			tc.vals[valueKey{"210500", "submitted"}] = 0
			scoreAndRank(tc.scheme, m, book, tc.vals)
			for i, c := range tc.want {
				if r, ok := tc.vals[valueKey{c, IndicatorRank}]; !ok || r != float64(i+1) {
					t.Errorf("%s rank %v, want %d", c, r, i+1)
				}
			}
			for _, c := range []string{"210500", spec.ProvinceCode} {
				if r, ok := tc.vals[valueKey{c, IndicatorRank}]; ok {
					t.Errorf("%s has rank %v", c, r)
				}
			}
			if _, ok := tc.vals[valueKey{"210500", IndicatorScore}]; ok {
				t.Error("a city that did not submit has a score")
			}
			if _, ok := tc.vals[valueKey{spec.ProvinceCode, IndicatorScore}]; !ok {
				t.Error("the province has no score")
			}
		})
	}
}
