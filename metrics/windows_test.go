package metrics

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ufa/ingest"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/transform"
)

// The window edges, worked out by hand (issue 12): events dated on the
// first day of the 3m and ytd windows, on the last day of a month, the
// year turning from December to January, and a city missing in the middle
// of a window.
//
// A 沈阳市 reports 2025-11 … 2026-02; r0 and r2 are key contacts (r2 made
// one in every month), r1 is not. Its two activities a month (01 走访,
// 02 培训 or 研讨学习), their dates, leader and participants:
//
//	Nov 01 走访 11-01 leader 是 [r0]   02 培训     11-30 leader 否 [r0 r1 r2]
//	Dec 01 走访 12-01 leader 是 [r2]   02 培训     12-31 leader 是 [r1]
//	Jan 01 走访 01-31 leader 否 [r0]   02 培训     01-01 leader 是 [r2]
//	Feb 01 走访 02-28 leader 是 [r0]   02 研讨学习 02-01 leader 否 [r0]
//
// Suggestions (one a month): Nov 11-15 adopted; Dec 12-31 adopted;
// Jan 01-01 not adopted; Feb 02-28 adopted. Nominations: Nov 11-22 待定,
// Dec 12-31 成功, Jan 01-01 成功, Feb 02-28 未成功. One joint meeting a month.
//
// B 大连市 reports Nov, skips Dec, reports Jan and Feb, as
// testbook.ValidFor makes them: 01 走访 day 12 [r0], 02 培训 day 20
// [r0 r1]; r0 its only key contact.
func buildWindows(t *testing.T) *transform.Warehouse {
	t.Helper()
	ctx := context.Background()
	book := spec.Load()
	dir := t.TempDir()
	w, err := transform.Open(ctx, filepath.Join(dir, "ufa.duckdb"), transform.Options{Book: book})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if err := w.UseKey(ctx, fixtureKey); err != nil {
		t.Fatal(err)
	}
	A, B := mustCity(t, book, "沈阳市"), mustCity(t, book, "大连市")
	load := func(b *testbook.Book, c spec.City, month string) {
		t.Helper()
		sub := filepath.Join(dir, c.Code+month)
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		p, err := b.WriteIn(sub, testbook.FileNameFor(c, month))
		if err != nil {
			t.Fatal(err)
		}
		sha, err := transform.HashFile(p)
		if err != nil {
			t.Fatal(err)
		}
		res := ingest.Validate(ctx, book, p, ingest.Options{})
		if res.Errors() != 0 {
			for _, fd := range res.Findings {
				t.Logf("%s %s: %s %s %s!%s%d %q %s", c.Name, month, fd.Severity, fd.Code, fd.Sheet, fd.Column, fd.Row, fd.Value, fd.Message)
			}
			t.Fatalf("%s %s: %d errors", c.Name, month, res.Errors())
		}
		m, _ := time.Parse("2006-01", month)
		if _, err := w.Submit(ctx, transform.File{Name: filepath.Base(p), SHA256: sha, Received: m.AddDate(0, 1, 2)}, res); err != nil {
			t.Fatal(err)
		}
	}
	type act struct {
		date, typ, leader string
		who               []int
	}
	plan := []struct {
		month      string
		visit, tr  act
		suggDate   string
		adopted    string
		nomDate    string
		nomOutcome string
	}{
		{"2025-11", act{"2025-11-01", "走访", "是", []int{0}}, act{"2025-11-30", "培训", "否", []int{0, 1, 2}}, "2025-11-15", "是", "2025-11-22", "待定"},
		{"2025-12", act{"2025-12-01", "走访", "是", []int{2}}, act{"2025-12-31", "培训", "是", []int{1}}, "2025-12-31", "是", "2025-12-31", "成功"},
		{"2026-01", act{"2026-01-31", "走访", "否", []int{0}}, act{"2026-01-01", "培训", "是", []int{2}}, "2026-01-01", "否", "2026-01-01", "成功"},
		{"2026-02", act{"2026-02-28", "走访", "是", []int{0}}, act{"2026-02-01", "研讨学习", "否", []int{0}}, "2026-02-28", "是", "2026-02-28", "未成功"},
	}
	for _, p := range plan {
		b := testbook.ValidFor(A, p.month)
		b.Set("代表人士", 2, "是否重点联系", "是")
		var parts [][]any
		for i, a := range []act{p.visit, p.tr} {
			b.Set("联系活动", i, "活动日期", a.date)
			b.Set("联系活动", i, "活动类型", a.typ)
			b.Set("联系活动", i, "党委主要领导是否参加", a.leader)
			for _, r := range a.who {
				parts = append(parts, []any{actID(A, p.month, i+1), rep(A, r)})
			}
		}
		setParticipants(b, parts...)
		b.Set("建言献策", 0, "报送日期", p.suggDate)
		b.Set("建言献策", 0, "是否被采纳", p.adopted)
		b.Set("提名举荐", 0, "举荐日期", p.nomDate)
		b.Set("提名举荐", 0, "结果", p.nomOutcome)
		load(b, A, p.month)
	}
	for _, m := range []string{"2025-11", "2026-01", "2026-02"} {
		load(testbook.ValidFor(B, m), B, m)
	}
	for _, m := range []string{"2025-11", "2025-12", "2026-01", "2026-02"} {
		if err := Compute(ctx, w.DB(), m, nil); err != nil {
			t.Fatalf("compute %s: %v", m, err)
		}
	}
	return w
}

func TestWindowEdges(t *testing.T) {
	w := buildWindows(t)
	const prov, A, B = "210000", "210100", "210200"
	type key struct{ month, city, ind string }
	// nil: null. Each figure with the events that make it.
	want := map[key]any{
		// November: the 3m window is Sep–Nov (only Nov reported); the month
		// starts with the visit (11-01) and ends with the training (11-30).
		{"2025-11", A, "activity_count"}:        2.0,
		{"2025-11", A, "visit_count"}:           1.0,
		{"2025-11", A, "leader_activity_count"}: 1.0,
		// r0 of r0 r2: r2 took part in the training only, which is no visit.
		{"2025-11", A, "key_contact_visit_coverage_3m"}: 1.0 / 2,
		{"2025-11", A, "visits_per_key_contact_3m"}:     1.0 / 2,
		{"2025-11", A, "training_coverage_ytd"}:         1.0, // r0 r1 r2 on 11-30
		{"2025-11", A, "leader_activity_count_ytd"}:     1.0,
		// December: both activities on the month's edges (12-01, 12-31).
		{"2025-12", A, "activity_count"}:        2.0,
		{"2025-12", A, "visit_count"}:           1.0,
		{"2025-12", A, "leader_activity_count"}: 2.0,
		// 3m Oct–Dec: visits 11-01 [r0], 12-01 [r2].
		{"2025-12", A, "key_contact_visit_coverage_3m"}: 1.0,
		{"2025-12", A, "visits_per_key_contact_3m"}:     1.0,
		// ytd 2025: trainings 11-30 [r0 r1 r2], 12-31 [r1].
		{"2025-12", A, "training_coverage_ytd"}:         1.0,
		{"2025-12", A, "leader_activity_count_ytd"}:     3.0, // 11-01, 12-01, 12-31
		{"2025-12", A, "suggestion_count_ytd"}:          2.0, // 11-15, 12-31
		{"2025-12", A, "suggestion_adoption_rate_ytd"}:  1.0,
		{"2025-12", A, "nomination_count_ytd"}:          2.0, // 11-22, 12-31
		{"2025-12", A, "nomination_success_rate_ytd"}:   1.0, // 待定 is left out
		{"2025-12", A, "joint_meeting_count_ytd"}:       2.0, // Nov + Dec
		{"2025-12", B, "activity_count"}:                nil, // B skipped December
		{"2025-12", B, "key_contact_visit_coverage_3m"}: nil,
		{"2025-12", prov, "activity_count"}:             2.0, // A alone
		// January: 3m is Nov–Jan across the year; ytd is January alone.
		// 3m visits: 11-01 (the window's first day) [r0], 12-01 [r2], 01-31 [r0].
		{"2026-01", A, "key_contact_visit_coverage_3m"}: 1.0,
		{"2026-01", A, "visits_per_key_contact_3m"}:     3.0 / 2,
		// ytd: only the training of 01-01 (the window's first day) [r2];
		// 12-31 [r1] belongs to last year.
		{"2026-01", A, "training_coverage_ytd"}:        1.0 / 3,
		{"2026-01", A, "leader_activity_count_ytd"}:    1.0, // 01-01 only
		{"2026-01", A, "suggestion_count_ytd"}:         1.0, // 01-01 only
		{"2026-01", A, "suggestion_adoption_rate_ytd"}: 0.0,
		{"2026-01", A, "suggestions_per_100_reps_ytd"}: 100.0 / 3,
		{"2026-01", A, "nomination_count_ytd"}:         1.0,
		{"2026-01", A, "nomination_success_rate_ytd"}:  1.0,
		{"2026-01", A, "nominations_per_100_reps_ytd"}: 100.0 / 3,
		{"2026-01", A, "joint_meeting_count_ytd"}:      1.0,
		{"2026-01", A, "activity_count"}:               2.0, // 01-01 and 01-31
		{"2026-01", A, "leader_activity_count"}:        1.0,
		// B is missing in the middle of its 3m window (Dec): visits 11-12
		// and 01-12, both [r0], its one key contact.
		{"2026-01", B, "key_contact_visit_coverage_3m"}: 1.0,
		{"2026-01", B, "visits_per_key_contact_3m"}:     2.0,
		{"2026-01", B, "training_coverage_ytd"}:         2.0 / 3, // 01-20 [r0 r1]
		{"2026-01", B, "rep_entries"}:                   nil,     // no December list
		{"2026-01", B, "rep_exits"}:                     nil,
		{"2026-01", A, "rep_entries"}:                   0.0,
		// Province: A's r0 r2 and B's r0, visits 3 + 2.
		{"2026-01", prov, "key_contact_visit_coverage_3m"}: 1.0,
		{"2026-01", prov, "visits_per_key_contact_3m"}:     5.0 / 3,
		{"2026-01", prov, "training_coverage_ytd"}:         3.0 / 6, // A r2, B r0 r1
		// February: 3m Dec–Feb. Visits 12-01 (the first day) [r2], 01-31 [r0],
		// 02-28 (the month's last day) [r0]; 11-01 no longer counts.
		{"2026-02", A, "key_contact_visit_coverage_3m"}: 1.0,
		{"2026-02", A, "visits_per_key_contact_3m"}:     3.0 / 2,
		{"2026-02", A, "visit_count"}:                   1.0,
		{"2026-02", A, "leader_activity_count"}:         1.0,
		// ytd Jan–Feb: 01-01 [r2], 研讨学习 02-01 [r0].
		{"2026-02", A, "training_coverage_ytd"}:        2.0 / 3,
		{"2026-02", A, "leader_activity_count_ytd"}:    2.0, // 01-01, 02-28
		{"2026-02", A, "suggestion_count_ytd"}:         2.0, // 01-01, 02-28
		{"2026-02", A, "suggestion_adoption_rate_ytd"}: 1.0 / 2,
		{"2026-02", A, "nomination_count_ytd"}:         2.0,
		{"2026-02", A, "nomination_success_rate_ytd"}:  1.0 / 2,
		{"2026-02", A, "joint_meeting_count_ytd"}:      2.0,
		// B: Dec missing, visits 01-12 and 02-12 [r0].
		{"2026-02", B, "visits_per_key_contact_3m"}:        2.0,
		{"2026-02", B, "training_coverage_ytd"}:            2.0 / 3,
		{"2026-02", B, "joint_meeting_count_ytd"}:          2.0,
		{"2026-02", prov, "visits_per_key_contact_3m"}:     5.0 / 3,
		{"2026-02", prov, "key_contact_visit_coverage_3m"}: 1.0,
		{"2026-02", prov, "training_coverage_ytd"}:         4.0 / 6, // A r0 r2, B r0 r1
		{"2026-02", prov, "suggestion_count_ytd"}:          4.0,     // A 2, B 01-15, 02-15
		{"2026-02", prov, "leader_activity_count_ytd"}:     4.0,     // A 2, B's visits 01-12, 02-12
	}
	got := map[key]*float64{}
	for _, m := range []string{"2025-11", "2025-12", "2026-01", "2026-02"} {
		vals, err := Load(context.Background(), w.DB(), m)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			got[key{m, v.CityCode, v.Indicator}] = v.Value
		}
	}
	for k, wv := range want {
		g, ok := got[k]
		switch {
		case !ok:
			t.Errorf("%v: no row", k)
		case wv == nil && g != nil:
			t.Errorf("%s %s %s = %v, want null", k.month, k.city, k.ind, *g)
		case wv != nil && g == nil:
			t.Errorf("%s %s %s = null, want %v", k.month, k.city, k.ind, wv)
		case wv != nil && !near(*g, wv.(float64)):
			t.Errorf("%s %s %s = %v, want %v", k.month, k.city, k.ind, *g, wv)
		}
	}
}
