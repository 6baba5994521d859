//go:build cgo

package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ufa/ingest"
	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/metrics"
	"ufa/transform"
)

// staleTree reads the HTML pages of a dashboards folder (the assets are
// the same files whatever the data).
func staleTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 16 {
		t.Fatalf("%s: %d pages, want 16", dir, len(out))
	}
	return out
}

func staleSameTrees(t *testing.T, what string, a, b map[string]string) {
	t.Helper()
	for name, pa := range a {
		if pb, ok := b[name]; !ok || pa != pb {
			t.Errorf("%s: %s differs between ufa ingest + metrics + dashboards and ufa run", what, name)
		}
	}
}

// staleRead opens a closed warehouse read-only for fn.
func staleRead(t *testing.T, db string, fn func(ctx context.Context, w *transform.Warehouse)) {
	t.Helper()
	ctx := context.Background()
	w, err := transform.Open(ctx, db, transform.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	fn(ctx, w)
}

// staleValue reads one stored indicator value of a closed warehouse.
func staleValue(t *testing.T, db, month, city, indicator string) float64 {
	t.Helper()
	var vals []metrics.Value
	staleRead(t, db, func(ctx context.Context, w *transform.Warehouse) {
		var err error
		if vals, err = metrics.Load(ctx, w.DB(), month); err != nil {
			t.Fatal(err)
		}
	})
	for _, v := range vals {
		if v.CityCode == city && v.Indicator == indicator && v.Value != nil {
			return *v.Value
		}
	}
	t.Fatalf("%s %s %s: no value", month, city, indicator)
	return 0
}

// staleStale lists the months metrics.Stale finds in a closed warehouse.
func staleStale(t *testing.T, db string, months ...string) []string {
	t.Helper()
	var s []string
	staleRead(t, db, func(ctx context.Context, w *transform.Warehouse) {
		var err error
		if s, err = metrics.Stale(ctx, w.DB(), months...); err != nil {
			t.Fatal(err)
		}
	})
	return s
}

// TestStaleRecomputed: a warehouse filled with ufa ingest and computed
// for its last month only gives the same dashboards as ufa run (the two
// earlier months are computed when the pages need them), and a workbook of
// an earlier month replaced after its figures were stored shows in the
// report and the dashboards without a manual recompute.
func TestStaleRecomputed(t *testing.T) {
	needAssets(t)
	t.Setenv("UFA_KEY_FILE", "")
	t.Setenv("UFA_DEMO_KEY", "")
	ctx := context.Background()
	book := spec.Load()
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	months := []string{"2026-01", "2026-02", "2026-03"}
	sum, err := gen.Generate(ctx, book, gen.Options{Out: inbox, From: months[0], To: months[2], Scale: 0.01, Faults: true, Seed: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// ufa ingest takes files and folders; faults/ is the generator's
	// fault set, not a month's inbox.
	var monthDirs []string
	for _, m := range months {
		monthDirs = append(monthDirs, filepath.Join(inbox, m))
	}

	// Path A: ingest everything, compute the last month only.
	dbA := filepath.Join(dir, "a.duckdb")
	if code, out, errs := runUFA(append([]string{"ingest", "--db", dbA, "--demo-key"}, monthDirs...)...); code != exitOK && code != exitFindings {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runUFA("metrics", "--db", dbA, "--month", months[2], "--format", "csv"); code != exitOK {
		t.Fatalf("metrics: exit %d: %s", code, errs)
	}
	if got := staleStale(t, dbA, months...); !slices.Equal(got, months[:2]) {
		t.Fatalf("after ufa metrics of %s, missing %v, want %v", months[2], got, months[:2])
	}
	outA := filepath.Join(dir, "a")
	code, _, errs := runUFA("dashboards", "--db", dbA, "--month", months[2], "--out", outA)
	if code != exitOK {
		t.Fatalf("dashboards: exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "已重新计算 2026-01、2026-02 的指标") {
		t.Errorf("dashboards does not say which months it computed: %q", errs)
	}
	if got := staleStale(t, dbA, months...); len(got) != 0 {
		t.Fatalf("after ufa dashboards, still missing or stale: %v", got)
	}

	// Path B: the monthly job over the same inbox.
	dbB := filepath.Join(dir, "b.duckdb")
	runInbox := filepath.Join(dir, "runinbox")
	for _, d := range monthDirs {
		if err := os.CopyFS(filepath.Join(runInbox, filepath.Base(d)), os.DirFS(d)); err != nil {
			t.Fatal(err)
		}
	}
	outB := filepath.Join(dir, "b")
	if code, out, errs := runUFA("run", "--db", dbB, "--demo-key", "--month", months[2], "--inbox", runInbox, "--out", outB); code != exitOK && code != exitFindings {
		t.Fatalf("run: exit %d\n%s%s", code, out, errs)
	}
	pagesA := staleTree(t, outA)
	staleSameTrees(t, "three months", pagesA, staleTree(t, filepath.Join(outB, "dashboards")))
	if !strings.Contains(pagesA["index.html"], "2026年1月至2026年3月") {
		t.Error("the trends do not start in January")
	}

	// A clerk corrects a January workbook after every month was computed:
	// an activity a leader attended is taken out (with its participants),
	// which every later month's year-to-date count reads too.
	var jan gen.File
	var fix string
	for _, f := range sum.Files {
		if f.Month != months[0] || f.Kind != gen.KindRegular || slices.ContainsFunc(sum.Files, func(g gen.File) bool {
			return g.Month == f.Month && g.City == f.City && g.Kind == gen.KindCorrection
		}) {
			continue
		}
		src := filepath.Join(inbox, filepath.FromSlash(f.Path))
		wb, fs := ingest.Read(ctx, book, src)
		if wb == nil {
			t.Fatalf("%s: %v", src, fs)
		}
		act := wb.Tables[spec.SheetActivities]
		part := wb.Tables[spec.SheetParticipants]
		idCol, leaderCol := act.Spec.ColumnIndex("activity_id"), act.Spec.ColumnIndex("leader_attended")
		line, id := 0, ""
		for _, r := range act.Rows {
			if r.Values[leaderCol].Bool() {
				line, id = r.Line, r.Values[idCol].S
			}
		}
		if line == 0 {
			continue
		}
		jan = f
		fix = filepath.Join(dir, "fix", strings.TrimSuffix(filepath.Base(f.Path), ".xlsx")+"_更正.xlsx")
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(fix), 0o755)
		if err := os.WriteFile(fix, data, 0o644); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenFile(fix)
		if err != nil {
			t.Fatal(err)
		}
		pCol := part.Spec.ColumnIndex("activity_id")
		for i := len(part.Rows) - 1; i >= 0; i-- { // bottom up: lines stay put
			if part.Rows[i].Values[pCol].S == id {
				if err := x.RemoveRow(part.Name, part.Rows[i].Line); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := x.RemoveRow(act.Name, line); err != nil {
			t.Fatal(err)
		}
		if err := x.Save(); err != nil {
			t.Fatal(err)
		}
		x.Close()
		if res := ingest.Validate(ctx, book, fix, ingest.Options{}); res.Errors() > 0 {
			t.Fatalf("the corrected workbook has errors: %v", res.Findings)
		}
		break
	}
	if fix == "" {
		t.Fatal("no January workbook with an activity a leader attended and no correction")
	}
	city, _ := book.City(jan.City)
	before := staleValue(t, dbA, months[2], city.Code, "leader_activity_count_ytd")
	if code, out, errs := runUFA("ingest", "--db", dbA, "--demo-key", fix); code != exitOK {
		t.Fatalf("ingest of the correction: exit %d\n%s%s", code, out, errs)
	}
	if got := staleStale(t, dbA, months...); !slices.Equal(got, months) {
		t.Fatalf("after a January correction, stale %v, want every month (their year-to-date windows read January)", got)
	}

	// The report of March recomputes March (and only what it shows).
	rep0 := filepath.Join(outB, months[2]+"_考核报告.xlsx") // ufa run's, before the correction
	report0 := staleReport(t, rep0)
	rep := filepath.Join(dir, "r.xlsx")
	if code, _, errs := runUFA("report", "--db", dbA, "--month", months[2], "-o", rep); code != exitOK {
		t.Fatalf("report: exit %d: %s", code, errs)
	}
	if got := staleValue(t, dbA, months[2], city.Code, "leader_activity_count_ytd"); got != before-1 {
		t.Errorf("after the report, March's leader_activity_count_ytd of %s is %v, want %v", jan.City, got, before-1)
	}
	report1 := staleReport(t, rep)
	if report1 == report0 {
		t.Error("the report of March did not change with the January correction")
	}

	// The dashboards recompute January and February; the pages are those
	// of ufa run given the correction. The correction reaches run's
	// warehouse through ufa ingest, and run's inbox is empty: the monthly
	// job too must find January and February stale.
	if code, _, errs := runUFA("dashboards", "--db", dbA, "--month", months[2], "--out", outA); code != exitOK {
		t.Fatalf("dashboards after the correction: exit %d: %s", code, errs)
	}
	if code, out, errs := runUFA("ingest", "--db", dbB, "--demo-key", fix); code != exitOK {
		t.Fatalf("ingest of the correction into run's warehouse: exit %d\n%s%s", code, out, errs)
	}
	emptyInbox := filepath.Join(dir, "empty")
	os.MkdirAll(emptyInbox, 0o755)
	code, out, errs := runUFA("run", "--db", dbB, "--demo-key", "--month", months[2], "--inbox", emptyInbox, "--out", outB)
	if code != exitOK {
		t.Fatalf("run after the correction: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "2026-01") || !strings.Contains(out, "2026-02") {
		t.Errorf("run's summary does not name the months it recomputed:\n%s", out)
	}
	if got := staleReport(t, filepath.Join(outB, months[2]+"_考核报告.xlsx")); got != report1 {
		t.Error("the report after the correction differs from ufa run's")
	}
	pagesA2 := staleTree(t, outA)
	staleSameTrees(t, "after the correction", pagesA2, staleTree(t, filepath.Join(outB, "dashboards")))
	if pagesA2["city/"+city.Code+".html"] == pagesA["city/"+city.Code+".html"] {
		t.Errorf("%s's page did not change with its January correction", jan.City)
	}
}

// staleReport reads every sheet's cells of a report, without the time of
// computation (a note of the ranking sheet), which differs between two
// warehouses of the same workbooks.
func staleReport(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("# " + sh + "\n")
		for _, r := range rows {
			for _, c := range r {
				if strings.Contains(c, "指标于") {
					c = "(note)"
				}
				b.WriteString(c + "\t")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
