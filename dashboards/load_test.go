package dashboards

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"ufa/ingest"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/metrics"
	"ufa/transform"
)

// TestLoadExact loads February from a warehouse built by hand from five
// testbook workbooks of two months and compares what the pages are given
// with values worked out by hand from the workbooks:
//
//	沈阳市 (A) Jan  testbook.ValidFor (3 organizations, 3 representatives)
//	大连市 (B) Jan  ValidFor
//	A Feb  attempt 1 (填报 03-02): the phone left empty, 1 error: rejected
//	B Feb  ValidFor (填报 03-03)
//	A Feb  attempt 2 (填报 03-04): ValidFor and a 4th organization, 社会团体
//	       行业协会商会, no Party organization, staff 60
//
// ValidFor's organizations are 社会团体/行业协会商会 (party 是),
// 民办非企业单位/教育 (否, staff 40), 基金会/慈善公益 (否, staff 12); its
// representatives 民盟/研究生, 无党派人士/大学本科, 群众/no education.
//
// February is not the first month, so a breakdown that counted every month
// up to February (January's workbooks too) gives other numbers here.
func TestLoadExact(t *testing.T) {
	requireAssets(t)
	ctx := context.Background()
	book := spec.Load()
	dir := t.TempDir()
	w, err := transform.Open(ctx, filepath.Join(dir, "ufa.duckdb"), transform.Options{Book: book})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.UseKey(ctx, []byte("dashboards load test key, 32 b!!")); err != nil {
		t.Fatal(err)
	}
	A, _ := book.City("沈阳市")
	B, _ := book.City("大连市")
	n := 0
	submit := func(b *testbook.Book, c spec.City, month, received string, wantErrors int) {
		t.Helper()
		n++
		sub := filepath.Join(dir, string(rune('a'+n)))
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
		at, _ := time.Parse("2006-01-02 15:04", received)
		res := ingest.Validate(ctx, book, p, ingest.Options{})
		if res.Errors() != wantErrors {
			t.Fatalf("%s: %d errors, want %d: %v", p, res.Errors(), wantErrors, res.Findings)
		}
		if _, err := w.Submit(ctx, transform.File{Name: filepath.Base(p), SHA256: sha, Received: at}, res); err != nil {
			t.Fatal(err)
		}
	}
	submit(testbook.ValidFor(A, "2026-01"), A, "2026-01", "2026-02-03 09:00", 0)
	submit(testbook.ValidFor(B, "2026-01"), B, "2026-01", "2026-02-03 10:00", 0)
	aFeb1 := testbook.ValidFor(A, "2026-02")
	aFeb1.Set("封面", 0, "联系电话", "")
	aFeb1.Set("封面", 0, "填报日期", "2026-03-02")
	submit(aFeb1, A, "2026-02", "2026-03-02 09:00", 1)
	bFeb := testbook.ValidFor(B, "2026-02")
	bFeb.Set("封面", 0, "填报日期", "2026-03-03")
	submit(bFeb, B, "2026-02", "2026-03-03 09:00", 0)
	aFeb2 := testbook.ValidFor(A, "2026-02")
	aFeb2.Set("封面", 0, "填报日期", "2026-03-04")
	orgs := aFeb2.Sheet("社会组织")
	orgs.Rows = append(orgs.Rows, []any{testbook.CreditCode("51", A.Code, 4), "沈阳市新兴产业促进会", "社会团体", "行业协会商会",
		A.Counties[0].Name, "市级", 60, 0, 60, "否", "", "否", 0, ""})
	submit(aFeb2, A, "2026-02", "2026-03-04 09:00", 0)
	for _, m := range []string{"2026-01", "2026-02"} {
		if err := metrics.Compute(ctx, w.DB(), m, nil); err != nil {
			t.Fatal(err)
		}
	}

	d, err := Load(ctx, w.DB(), LoadOptions{Month: "2026-02"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2026-01", "2026-02"}; !reflect.DeepEqual(d.Months, want) {
		t.Errorf("Months %v, want %v (the window starts at the first month with data)", d.Months, want)
	}
	if d.Date != "2026-03-04" || !d.DateDerived {
		t.Errorf("Date %q (derived %v), want 2026-03-04, the latest 填报日期 of February", d.Date, d.DateDerived)
	}
	if d.Scheme.Name != metrics.DefaultScheme().Name || d.DeadlineDay != metrics.DefaultScheme().DeadlineDay || len(d.Scheme.Targets) != len(metrics.DefaultScheme().Items) {
		t.Errorf("scheme %+v, deadline day %d", d.Scheme, d.DeadlineDay)
	}

	// Indicator values, both months: organizations, those with a Party
	// organization, their share; the province counts distinct codes.
	const P = ProvinceCode
	for _, c := range []struct {
		month, city, ind string
		want             float64
	}{
		{"2026-01", A.Code, "org_count", 3}, {"2026-02", A.Code, "org_count", 4},
		{"2026-01", B.Code, "org_count", 3}, {"2026-02", B.Code, "org_count", 3},
		{"2026-01", P, "org_count", 6}, {"2026-02", P, "org_count", 7},
		{"2026-02", A.Code, "party_org_count", 1}, {"2026-02", P, "party_org_count", 2},
		{"2026-01", A.Code, "party_org_coverage", 1.0 / 3}, {"2026-02", A.Code, "party_org_coverage", 0.25},
		{"2026-02", P, "party_org_coverage", 2.0 / 7},
		{"2026-02", A.Code, "rep_count", 3}, {"2026-02", P, "rep_count", 6},
		{"2026-02", A.Code, "submitted", 1}, {"2026-02", B.Code, "submitted", 1},
	} {
		got, ok := d.Values.Get(c.month, c.city, c.ind)
		if !ok || got != c.want {
			t.Errorf("%s %s %s = %v (%v), want %v", c.month, c.city, c.ind, got, ok, c.want)
		}
	}
	if _, ok := d.Values.Get("2026-02", "210300", "org_count"); ok {
		t.Error("鞍山市 reported nothing but has an org_count")
	}

	// The submission history: every attempt of the window, in order, with
	// its attempt number.
	type sub struct {
		City, Month, FiledOn, Outcome string
		Attempt, Errors               int
		Accepted, Current             bool
	}
	var got []sub
	for _, s := range d.Submissions {
		got = append(got, sub{s.City, s.Month, s.FiledOn, s.Outcome, s.Attempt, s.Errors, s.Accepted, s.Current})
	}
	want := []sub{
		{A.Code, "2026-01", "2026-02-03", "accepted", 1, 0, true, true},
		{A.Code, "2026-02", "2026-03-02", "rejected", 1, 1, false, false},
		{A.Code, "2026-02", "2026-03-04", "accepted", 2, 0, true, true},
		{B.Code, "2026-01", "2026-02-03", "accepted", 1, 0, true, true},
		{B.Code, "2026-02", "2026-03-03", "accepted", 1, 0, true, true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("submissions\n got %+v\nwant %+v", got, want)
	}

	// The city pages' breakdowns: February's current workbooks only.
	a := d.Details[A.Code]
	if a == nil {
		t.Fatal("no details for 沈阳市")
	}
	checkCounts := func(what string, got, want []Count) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	checkCounts("沈阳市 organizations by type", a.OrgByType, []Count{{"社会团体", 2}, {"基金会", 1}, {"民办非企业单位", 1}})
	checkCounts("沈阳市 organizations by sector", a.OrgBySector, []Count{{"行业协会商会", 2}, {"慈善公益", 1}, {"教育", 1}})
	checkCounts("沈阳市 representatives by status", a.RepByStatus, []Count{{"无党派人士", 1}, {"民盟", 1}, {"群众", 1}})
	checkCounts("沈阳市 representatives by education", a.RepByEducation, []Count{{"大学本科", 1}, {"未填写", 1}, {"研究生", 1}})
	b := d.Details[B.Code]
	if b == nil {
		t.Fatal("no details for 大连市")
	}
	checkCounts("大连市 organizations by type", b.OrgByType, []Count{{"基金会", 1}, {"民办非企业单位", 1}, {"社会团体", 1}})
	var names []string
	var staff []int
	for _, o := range a.NoPartyOrg {
		names, staff = append(names, o.Name), append(staff, o.Staff)
	}
	if wantN := []string{"沈阳市新兴产业促进会", "沈阳市和平区阳光学校", "辽宁省慈善基金会"}; !reflect.DeepEqual(names, wantN) || !reflect.DeepEqual(staff, []int{60, 40, 12}) {
		t.Errorf("沈阳市 without a Party organization: %v %v", names, staff)
	}
	// The findings shown are those of 沈阳市's latest attempt (accepted,
	// no errors), not of the rejected one.
	if a.FindingsOf == nil || a.FindingsOf.FiledOn != "2026-03-04" || a.FindingsTotal != a.FindingsOf.Warnings {
		t.Errorf("沈阳市's findings are of %+v (total %d)", a.FindingsOf, a.FindingsTotal)
	}
}
