package gen

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ufa/ingest"
	"ufa/internal/spec"
)

// small is the run most tests look at: every city, three months, faults.
var small = Options{From: "2026-01", To: "2026-03", Seed: 7, Scale: 0.02, Faults: true}

func generate(t testing.TB, opt Options) *Summary {
	t.Helper()
	if opt.Out == "" {
		opt.Out = t.TempDir()
	}
	sum, err := Generate(context.Background(), spec.Load(), opt, nil)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return sum
}

// TestSmallRun generates the small run once and checks its layout, that
// every file validates as its kind says, and the submission history.
func TestSmallRun(t *testing.T) {
	book := spec.Load()
	sum := generate(t, small)
	dir := sum.Out

	t.Run("layout", func(t *testing.T) {
		var onDisk []string
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(dir, p)
				onDisk = append(onDisk, filepath.ToSlash(rel))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var listed []string
		for _, f := range sum.Files {
			listed = append(listed, f.Path)
		}
		slices.Sort(onDisk)
		slices.Sort(listed)
		if !slices.Equal(onDisk, listed) {
			t.Fatalf("files on disk %v\ndiffer from the summary %v", onDisk, listed)
		}
		if len(sum.Skipped) != 1 {
			t.Fatalf("skipped %v, want one city-month", sum.Skipped)
		}
		for _, m := range []string{"2026-01", "2026-02", "2026-03"} {
			for _, c := range book.Cities {
				_, err := os.Stat(filepath.Join(dir, m, c.Name+"_"+m+".xlsx"))
				skipped := slices.Contains(sum.Skipped, c.Name+" "+m)
				if (err == nil) == skipped {
					t.Errorf("%s %s: file exists=%v, skipped=%v", c.Name, m, err == nil, skipped)
				}
			}
		}
		if sum.Skipped[0][len(sum.Skipped[0])-7:] == "2026-01" {
			t.Errorf("the first month is skipped: %v", sum.Skipped)
		}
		for _, code := range FaultCodes {
			if _, err := os.Stat(filepath.Join(dir, "faults", code+".xlsx")); err != nil {
				t.Errorf("no fault file for %s: %v", code, err)
			}
		}
		want := map[Kind]int{KindLate: 1, KindRejected: 2, KindCorrection: 2, KindFault: len(FaultCodes),
			KindRegular: 14*3 - 1 - 1}
		for k, n := range want {
			if got := sum.Count(k); got != n {
				t.Errorf("%d files of kind %s, want %d", got, k, n)
			}
		}
		for _, f := range sum.Files {
			base := filepath.Base(f.Path)
			switch f.Kind {
			case KindRegular, KindLate:
				if base != FileName(f.City, f.Month) {
					t.Errorf("%s: regular file named %s", f.Path, base)
				}
			case KindRejected, KindCorrection:
				suffix := map[Kind]string{KindRejected: "_初报.xlsx", KindCorrection: "_更正.xlsx"}[f.Kind]
				if base != f.City+"_"+f.Month+suffix {
					t.Errorf("%s: %s file named %s", f.Path, f.Kind, base)
				}
				if _, err := os.Stat(filepath.Join(dir, f.Month, FileName(f.City, f.Month))); err != nil {
					t.Errorf("%s without the regular file: %v", f.Path, err)
				}
			}
		}
	})

	results := map[string]*ingest.Result{}
	for _, f := range sum.Files {
		results[f.Path] = ingest.Validate(context.Background(), book, filepath.Join(dir, f.Path), ingest.Options{})
	}

	t.Run("month files", func(t *testing.T) {
		regular := map[string]File{}
		for _, f := range sum.Files {
			if f.Kind == KindRegular || f.Kind == KindLate {
				regular[f.City+f.Month] = f
			}
		}
		for _, f := range sum.Files {
			if f.Kind == KindFault {
				continue
			}
			res := results[f.Path]
			if f.Kind == KindRejected {
				if res.Errors() == 0 {
					t.Errorf("%s: a rejected first attempt without errors", f.Path)
				}
			} else if len(res.Findings) > 0 {
				t.Errorf("%s: %d findings, first %+v", f.Path, len(res.Findings), res.Findings[0])
				continue
			}
			wb := res.Workbook
			if wb == nil || wb.City == nil || wb.City.Name != f.City || wb.Month.Format("2006-01") != f.Month {
				t.Errorf("%s: cover does not say %s %s", f.Path, f.City, f.Month)
				continue
			}
			if got := wb.FiledOn.Format("2006-01-02"); got != f.FiledOn {
				t.Errorf("%s: 填报日期 %s, summary says %s", f.Path, got, f.FiledOn)
			}
			due := wb.Month.AddDate(0, 1, 4) // the 5th of the next month
			onTime := !wb.FiledOn.After(due) && !wb.FiledOn.Before(wb.Month.AddDate(0, 1, 0))
			reg := regular[f.City+f.Month]
			switch f.Kind {
			case KindRegular, KindRejected:
				if !onTime {
					t.Errorf("%s (%s): filed %s, not between the 1st and the 5th of the next month", f.Path, f.Kind, f.FiledOn)
				}
			case KindLate:
				if !wb.FiledOn.After(due) {
					t.Errorf("%s: late file filed %s, by the due date", f.Path, f.FiledOn)
				}
			}
			if f.Kind == KindRejected && f.FiledOn >= reg.FiledOn {
				t.Errorf("%s: rejected attempt filed %s, not before the regular file's %s", f.Path, f.FiledOn, reg.FiledOn)
			}
			if f.Kind == KindCorrection && f.FiledOn <= reg.FiledOn {
				t.Errorf("%s: correction filed %s, not after the regular file's %s", f.Path, f.FiledOn, reg.FiledOn)
			}
			tables := wb.Tables
			if res.Errors() > 0 {
				// Validate lets a rejected workbook's rows go: count them
				// as read.
				if rwb, _ := ingest.Read(context.Background(), book, filepath.Join(dir, f.Path)); rwb != nil {
					tables = rwb.Tables
				}
			}
			for _, s := range book.Sheets {
				if tb := tables[s.Key]; tb != nil && !s.Items && len(tb.Rows) != f.Rows[s.Key] {
					t.Errorf("%s: %d rows in %s, summary says %d", f.Path, len(tb.Rows), s.Name, f.Rows[s.Key])
				}
			}
		}
	})

	t.Run("corrections change rows", func(t *testing.T) {
		for _, f := range sum.Files {
			if f.Kind != KindCorrection {
				continue
			}
			a := results[f.Month+"/"+FileName(f.City, f.Month)].Workbook.Tables[spec.SheetOrganizations]
			b := results[f.Path].Workbook.Tables[spec.SheetOrganizations]
			changed := 0
			for i := range min(len(a.Rows), len(b.Rows)) {
				if !slices.Equal(a.Rows[i].Values, b.Rows[i].Values) {
					changed++
				}
			}
			if len(a.Rows) != len(b.Rows) || changed == 0 || changed > 6 {
				t.Errorf("%s: %d of %d organization rows changed (rows %d → %d), want a few", f.Path, changed, len(a.Rows), len(a.Rows), len(b.Rows))
			}
		}
	})

	t.Run("faults", func(t *testing.T) {
		for _, code := range FaultCodes {
			res := results["faults/"+code+".xlsx"]
			if len(res.Findings) != 1 || res.Findings[0].Code != code {
				t.Errorf("faults/%s.xlsx: findings %+v, want exactly one %s", code, res.Findings, code)
			}
		}
	})
}

func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDeterministic: the same seed gives the same bytes, whatever the
// number of workers; a run of one city and a shorter range gives the same
// files as the full run; another seed gives other files.
func TestDeterministic(t *testing.T) {
	opt := Options{From: "2026-01", To: "2026-02", Seed: 3, Scale: 0.01, Faults: true}
	one, two := opt, opt
	one.Workers, two.Workers = 1, 2
	a := readAll(t, generate(t, one).Out)
	b := readAll(t, generate(t, two).Out)
	if len(a) != len(b) || len(a) < 28 {
		t.Fatalf("%d and %d files", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}

	part := opt
	part.From, part.Cities, part.Faults = "2026-02", []string{"大连"}, false
	p := readAll(t, generate(t, part).Out)
	name := "2026-02/大连市_2026-02.xlsx"
	if len(p) != 1 || !bytes.Equal(p[name], a[name]) {
		t.Errorf("大连市 2026-02 alone (%d files) differs from the same month of the full run", len(p))
	}

	other := opt
	other.Seed = 4
	c := readAll(t, generate(t, other).Out)
	if bytes.Equal(c["2026-01/沈阳市_2026-01.xlsx"], a["2026-01/沈阳市_2026-01.xlsx"]) {
		t.Error("another seed gives the same file")
	}
}

// keys reads the organization codes and representative IDs of a file.
func keys(t *testing.T, path string) (orgs, reps map[string]bool) {
	t.Helper()
	book := spec.Load()
	wb, fs := ingest.Read(context.Background(), book, path)
	if len(fs) > 0 || wb == nil {
		t.Fatalf("%s: %v", path, fs)
	}
	get := func(sheet, col string) map[string]bool {
		tb := wb.Tables[sheet]
		i := tb.Spec.ColumnIndex(col)
		out := map[string]bool{}
		for _, r := range tb.Rows {
			out[r.Values[i].S] = true
		}
		return out
	}
	return get(spec.SheetOrganizations, "credit_code"), get(spec.SheetRepresentatives, "id_number")
}

func diff(a, b map[string]bool) (gone, added int) {
	for k := range a {
		if !b[k] {
			gone++
		}
	}
	for k := range b {
		if !a[k] {
			added++
		}
	}
	return
}

// TestEvolution: between two months some organizations and
// representatives leave and others enter, most stay.
func TestEvolution(t *testing.T) {
	sum := generate(t, Options{From: "2026-05", To: "2026-06", Seed: 1, Scale: 0.5, Cities: []string{"210100"}})
	o1, r1 := keys(t, filepath.Join(sum.Out, "2026-05", "沈阳市_2026-05.xlsx"))
	o2, r2 := keys(t, filepath.Join(sum.Out, "2026-06", "沈阳市_2026-06.xlsx"))
	for _, x := range []struct {
		what   string
		a, b   map[string]bool
		lo, hi float64
	}{{"organizations", o1, o2, 0.004, 0.03}, {"representatives", r1, r2, 0.005, 0.05}} {
		gone, added := diff(x.a, x.b)
		n := float64(len(x.a))
		t.Logf("%s: %d, %d left, %d entered", x.what, len(x.a), gone, added)
		if float64(gone) < x.lo*n || float64(gone) > x.hi*n || float64(added) < x.lo*n || float64(added) > x.hi*n {
			t.Errorf("%s: %d of %d left and %d entered, want each between %.1f%% and %.1f%%", x.what, gone, len(x.a), added, 100*x.lo, 100*x.hi)
		}
	}
}

// TestStateGrowth follows 沈阳市 through a year at scale 1 without writing
// files: coverage and mechanisms grow, the figures stay in range.
func TestStateGrowth(t *testing.T) {
	book := spec.Load()
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newCity(1, book.Cities[0], 0, cityOrgs(shares()["210100"], 1), epoch)
	type fig struct{ party, liaison, pool, mech float64 }
	measure := func(m time.Time) fig {
		t := c.monthIndex(m)
		var f fig
		for _, o := range c.orgs {
			if o.hasParty(c, t) {
				f.party++
			}
			if o.hasLiaison(c, t) || o.hasParty(c, t) {
				f.liaison++
			}
		}
		for _, p := range c.reps {
			if p.pool(c, t) {
				f.pool++
			}
		}
		f.party /= float64(len(c.orgs))
		f.liaison /= float64(len(c.orgs))
		f.pool /= float64(len(c.reps))
		mo := c.events(m)
		for k, v := range mo.mech {
			if strings.HasPrefix(k, "sys_") && v == "是" {
				f.mech++
			}
		}
		return f
	}
	first := measure(epoch)
	var last fig
	for m := epoch.AddDate(0, 1, 0); m.Year() == 2026; m = m.AddDate(0, 1, 0) {
		c.evolve(m)
		last = measure(m)
	}
	t.Logf("Jan %+v Dec %+v", first, last)
	if first.party < 0.25 || last.party > 0.75 || last.party <= first.party {
		t.Errorf("Party organization coverage %.2f → %.2f, want growth within 30–70%%", first.party, last.party)
	}
	if last.liaison <= first.liaison || last.pool <= first.pool || last.mech < first.mech {
		t.Errorf("coverage does not grow: %+v → %+v", first, last)
	}
	if n := len(c.orgs); n < 5780 || n > 6500 {
		t.Errorf("沈阳市 has %d organizations after a year, want a little more than 5,780", n)
	}
	if r := float64(len(c.reps)) / float64(len(c.orgs)); r < 0.07 || r > 0.14 {
		t.Errorf("%.3f representatives per organization, want about 0.1", r)
	}
}

func TestSizes(t *testing.T) {
	sh := shares()
	total := 0
	for code, s := range sh {
		n := cityOrgs(s, 1)
		total += n
		if (code == "210100" || code == "210200") && n != 5780 {
			t.Errorf("%s: %d organizations, want a fifth of the province (5,780)", code, n)
		}
	}
	if total < 28800 || total > 29000 {
		t.Errorf("%d organizations in the province at scale 1, want about 28,900", total)
	}
	if n := cityOrgs(sh["210100"], 17.3); n < 99_900 || n > 100_100 {
		t.Errorf("沈阳市 at scale 17.3: %d organizations, want about 100,000 (doc.go)", n)
	}
	if len(sh) != len(spec.Load().Cities) {
		t.Errorf("shares for %d cities", len(sh))
	}
}

func TestOptions(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opt      Options
		from, to string // want, when ok
		ok       bool
	}{
		{"default year", Options{}, "2026-01", "2026-12", true},
		{"from only", Options{From: "2025-10"}, "2025-10", "2025-12", true},
		{"to only", Options{To: "2026-03"}, "2026-01", "2026-03", true},
		{"both", Options{From: "2025-11", To: "2026-02"}, "2025-11", "2026-02", true},
		{"bad month", Options{From: "2026-13"}, "", "", false},
		{"other form", Options{From: "2026年1月"}, "", "", false},
		{"reversed", Options{From: "2026-05", To: "2026-04"}, "", "", false},
		{"too long", Options{From: "2000-01", To: "2026-01"}, "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, to, err := tc.opt.Range()
			if (err == nil) != tc.ok {
				t.Fatalf("err %v, want ok=%v", err, tc.ok)
			}
			if tc.ok && (from.Format("2006-01") != tc.from || to.Format("2006-01") != tc.to) {
				t.Errorf("range %s..%s, want %s..%s", from.Format("2006-01"), to.Format("2006-01"), tc.from, tc.to)
			}
		})
	}
	for _, opt := range []Options{
		{From: "2026-13"}, {Scale: -1}, {Scale: MaxScale + 1}, {Cities: []string{"北京市"}},
	} {
		opt.Out = t.TempDir()
		if _, err := Generate(context.Background(), spec.Load(), opt, nil); !errors.Is(err, ErrOptions) {
			t.Errorf("%+v: err %v, want ErrOptions", opt, err)
		}
	}
}

// TestStyles: what the city styles write instead of the canonical spelling
// is an alias the spec accepts.
func TestStyles(t *testing.T) {
	book := spec.Load()
	for key, m := range valueAliases {
		for canon, alias := range m {
			found := false
			for _, s := range book.Sheets {
				if c := s.Column(key); c != nil && c.Choices != nil {
					found = true
					if got, ok := c.Choices.Canonical(alias); !ok || got != canon {
						t.Errorf("%s.%s: alias %q reads as %q, want %q", s.Key, key, alias, got, canon)
					}
				}
			}
			if !found {
				t.Errorf("no enum column %s", key)
			}
		}
	}
	seen := map[style]bool{}
	for i := range book.Cities {
		seen[styleOf(i)] = true
	}
	if len(seen) < 4 || !seen[styleOf(0)] || styleOf(0) != (style{}) {
		t.Errorf("styles %v: want four, 沈阳市's the plain template", seen)
	}
}

func TestNames(t *testing.T) {
	book := spec.Load()
	sectors := book.Sheet(spec.SheetOrganizations).Column("sector").Choices
	types := book.Sheet(spec.SheetOrganizations).Column("org_type").Choices
	for _, k := range orgKinds {
		if _, ok := sectors.Canonical(k.sector); !ok {
			t.Errorf("kind %v: sector not in the spec", k.sector)
		}
		if _, ok := types.Canonical(k.typ); !ok {
			t.Errorf("kind %v: type not in the spec", k.typ)
		}
	}
	c := newCity(1, book.Cities[0], 0, 2000, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	names := map[string]bool{}
	for _, o := range c.orgs {
		names[o.name] = true
		if !strings.HasPrefix(o.name, "沈阳") && !strings.HasPrefix(o.name, "辽宁") &&
			!strings.HasPrefix(o.name, "新民市") && !strings.HasPrefix(o.name, "康平县") && !strings.HasPrefix(o.name, "法库县") {
			t.Errorf("name %q does not start with a place of 沈阳市", o.name)
		}
	}
	if len(names) < len(c.orgs)*97/100 {
		t.Errorf("%d distinct names of %d organizations", len(names), len(c.orgs))
	}
}

// BenchmarkGenerate measures a full year at scale 1 (168 workbooks, about
// 350,000 organization rows) and one workbook of about 100,000
// organizations (沈阳市 at scale 17.3).
func BenchmarkGenerate(b *testing.B) {
	for _, bc := range []struct {
		name string
		opt  Options
	}{
		{"year-scale1", Options{From: "2026-01", To: "2026-12", Seed: 1, Scale: 1}},
		{"one-100k", Options{From: "2026-01", To: "2026-01", Seed: 1, Scale: 17.3, Cities: []string{"沈阳市"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var rows int
			for b.Loop() {
				opt := bc.opt
				opt.Out = b.TempDir()
				sum := generate(b, opt)
				rows = sum.Rows(spec.SheetOrganizations)
			}
			b.ReportMetric(float64(rows), "org-rows")
		})
	}
}
