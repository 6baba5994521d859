package report

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/internal/testing/genwh"
	"ufa/internal/testing/testbook"
	"ufa/metrics"
	"ufa/transform"
)

// The generated warehouse the report tests read: 14 cities, 2026-01 to
// 2026-03 at scale 0.02 with faults (a skipped city-month among them),
// every month computed; built once per test binary.
var shared = genwh.NewShared(gen.Options{From: "2026-01", To: "2026-03", Seed: 11, Scale: 0.02, Faults: true})

func built() (*genwh.Built, error) { return shared.Get() }

func TestMain(m *testing.M) { os.Exit(shared.Main(m)) }

func open(t testing.TB, path string, readOnly bool) *transform.Warehouse {
	t.Helper()
	w, err := transform.Open(context.Background(), path, transform.Options{ReadOnly: readOnly})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func fixture(t testing.TB) (*transform.Warehouse, *genwh.Built) {
	t.Helper()
	b, err := built()
	if err != nil {
		t.Fatal(err)
	}
	return open(t, b.DB, true), b
}

// reportOf writes the month's report and opens it with excelize.
func reportOf(t testing.TB, w *transform.Warehouse, month string) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(context.Background(), w.DB(), month, &buf); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, data
}

func value(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func shown(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// numFmt is the custom number format of a cell.
func numFmt(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

// near compares a number read back from a cell, which excelize gives
// with 15 significant digits as Excel does, with the stored value.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

func cellRef(col, row int) string {
	r, _ := excelize.CoordinatesToCellName(col, row)
	return r
}

// stored reads the month's stored values: city → indicator → value.
func stored(t testing.TB, w *transform.Warehouse, month string) map[string]map[string]*float64 {
	t.Helper()
	vals, err := metrics.Load(context.Background(), w.DB(), month)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]*float64{}
	for _, v := range vals {
		if out[v.CityCode] == nil {
			out[v.CityCode] = map[string]*float64{}
		}
		out[v.CityCode][v.Indicator] = v.Value
	}
	return out
}

func TestSheets(t *testing.T) {
	w, _ := fixture(t)
	f, _ := reportOf(t, w, "2026-03")
	want := []string{"排名", "组织覆盖", "代表人士", "工作机制", "联系活动", "建言献策与提名举荐", "报送情况"}
	if got := f.GetSheetList(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	titles := map[string]string{}
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm.Print_Titles" {
			titles[n.Scope] = n.RefersTo
		}
	}
	for _, s := range want {
		if a1 := value(t, f, s, "A1"); !strings.Contains(a1, "2026年3月") || !strings.HasPrefix(a1, "辽宁省") {
			t.Errorf("%s: title %q", s, a1)
		}
		panes, err := f.GetPanes(s)
		if err != nil {
			t.Fatal(err)
		}
		head := 3
		if s == SheetRanking {
			head = 4
		}
		if !panes.Freeze || panes.YSplit != head || panes.XSplit < 1 {
			t.Errorf("%s: panes %+v", s, panes)
		}
		layout, err := f.GetPageLayout(s)
		if err != nil {
			t.Fatal(err)
		}
		if *layout.Size != 9 || *layout.Orientation != "landscape" || *layout.FitToWidth != 1 || *layout.FitToHeight != 0 {
			t.Errorf("%s: page layout size %d %s fit %d×%d", s, *layout.Size, *layout.Orientation, *layout.FitToWidth, *layout.FitToHeight)
		}
		props, err := f.GetSheetProps(s)
		if err != nil {
			t.Fatal(err)
		}
		if props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: not fit to page", s)
		}
		if wantTitles := "'" + s + "'!$3:$" + strconv.Itoa(head); titles[s] != wantTitles {
			t.Errorf("%s: print titles %q, want %q", s, titles[s], wantTitles)
		}
		// Columns fit Chinese text: the widest body text of column A fits.
		width, _ := f.GetColWidth(s, "A")
		if width < 8 {
			t.Errorf("%s: column A is %v wide", s, width)
		}
	}
}

func TestRankingSheet(t *testing.T) {
	w, b := fixture(t)
	const month = "2026-03"
	f, _ := reportOf(t, w, month)
	vals := stored(t, w, month)
	run, err := metrics.LoadRun(context.Background(), w.DB(), month)
	if err != nil {
		t.Fatal(err)
	}
	s := SheetRanking
	// Two-level header: 排名/城市/综合得分 over two rows, each indicator over
	// 值 and 得分.
	merged, err := f.GetMergeCells(s)
	if err != nil {
		t.Fatal(err)
	}
	ranges := map[string]string{}
	for _, m := range merged {
		ranges[m.GetStartAxis()+":"+m.GetEndAxis()] = m.GetCellValue()
	}
	if ranges["A3:A4"] != "排名" || ranges["B3:B4"] != "城市" || ranges["C3:C4"] != "综合得分" {
		t.Errorf("merged headers %v", ranges)
	}
	for i, it := range run.Scheme.Items {
		d, _ := metrics.Lookup(it.Indicator)
		c1, c2 := cellRef(4+2*i, 3), cellRef(5+2*i, 3)
		if !strings.HasPrefix(ranges[c1+":"+c2], d.Name+"（") {
			t.Errorf("%s:%s = %q, want %s…", c1, c2, ranges[c1+":"+c2], d.Name)
		}
		if value(t, f, s, cellRef(4+2*i, 4)) != "值" || value(t, f, s, cellRef(5+2*i, 4)) != "得分" {
			t.Errorf("item %d: subheaders %q %q", i, value(t, f, s, cellRef(4+2*i, 4)), value(t, f, s, cellRef(5+2*i, 4)))
		}
	}
	rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	body := rows[4:]
	book := spec.Load()
	if len(body) != len(book.Cities)+1 {
		t.Fatalf("%d body rows, want %d cities and the province", len(body), len(book.Cities))
	}
	if body[len(body)-1][1] != spec.ProvinceName {
		t.Errorf("last row is %v", body[len(body)-1][:2])
	}
	skipped := map[string]bool{}
	for _, k := range b.Summary.Skipped {
		if strings.HasSuffix(k, month) {
			skipped[strings.Fields(k)[0]] = true
		}
	}
	ranked := 0
	for i, r := range body[:len(body)-1] {
		c, _ := book.City(r[1])
		row := i + 5
		if skipped[c.Name] {
			if r[0] != "未报送" || r[2] != "—" {
				t.Errorf("%s did not submit, row %v", c.Name, r[:3])
			}
			continue
		}
		ranked++
		if r[0] != strconv.Itoa(ranked) || *vals[c.Code]["rank"] != float64(ranked) {
			t.Errorf("row %d: rank %q for %s, stored %v", row, r[0], c.Name, *vals[c.Code]["rank"])
		}
		score, _ := strconv.ParseFloat(r[2], 64)
		if want := math.Round(*vals[c.Code]["score"]*100) / 100; score != want {
			t.Errorf("%s: score %v, want %v", c.Name, score, want)
		}
		if nf := numFmt(t, f, s, cellRef(3, row)); nf != "0.00" {
			t.Errorf("score format %q", nf)
		}
		// Each item's value and points; the points add up to the score.
		sum := 0.0
		for j, it := range run.Scheme.Items {
			d, _ := metrics.Lookup(it.Indicator)
			v := vals[c.Code][it.Indicator]
			ref := cellRef(4+2*j, row)
			got := r[3+2*j]
			switch {
			case v == nil:
				if got != "—" {
					t.Errorf("%s %s: %q for null", c.Name, ref, got)
				}
			case d.Unit == metrics.UnitRate:
				if x, _ := strconv.ParseFloat(got, 64); !near(x, *v) || numFmt(t, f, s, ref) != "0.0%" {
					t.Errorf("%s %s: %q format %q, want %v as 0.0%%", c.Name, ref, got, numFmt(t, f, s, ref), *v)
				}
			case d.Unit == metrics.UnitFlag:
				if got != map[float64]string{1: "是", 0: "否"}[*v] {
					t.Errorf("%s %s: %q for %v", c.Name, ref, got, *v)
				}
			}
			p, _ := strconv.ParseFloat(r[4+2*j], 64)
			if want := math.Round(metrics.Points(it, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), v, false, 14)*100) / 100; p != want {
				t.Errorf("%s %s points %v, want %v", c.Name, it.Indicator, p, want)
			}
			sum += p
		}
		if math.Abs(sum-score) > 0.01*float64(len(run.Scheme.Items)) {
			t.Errorf("%s: points sum to %v, score %v", c.Name, sum, score)
		}
	}
	if ranked < 12 || len(skipped) == 0 {
		t.Errorf("%d ranked, skipped %v", ranked, skipped)
	}
}

func TestGroupSheets(t *testing.T) {
	w, _ := fixture(t)
	const month = "2026-03"
	f, _ := reportOf(t, w, month)
	vals := stored(t, w, month)
	book := spec.Load()
	for _, g := range []string{"组织覆盖", "代表人士", "工作机制", "联系活动", "建言献策与提名举荐"} {
		var defs []metrics.Definition
		for _, d := range metrics.Definitions() {
			if d.Group == g {
				defs = append(defs, d)
			}
		}
		if value(t, f, g, "A3") != "城市" {
			t.Errorf("%s: A3 %q", g, value(t, f, g, "A3"))
		}
		for i, d := range defs {
			if h := value(t, f, g, cellRef(i+2, 3)); h != d.Name {
				t.Errorf("%s: header %d %q, want %s", g, i, h, d.Name)
			}
		}
		places := append(append([]spec.City(nil), book.Cities...), spec.City{Code: spec.ProvinceCode, Name: spec.ProvinceName})
		for r, c := range places {
			row := r + 4
			if got := value(t, f, g, cellRef(1, row)); got != c.Name {
				t.Fatalf("%s row %d: %q, want %s", g, row, got, c.Name)
			}
			for i, d := range defs {
				ref := cellRef(i+2, row)
				v := vals[c.Code][d.ID]
				got := value(t, f, g, ref)
				if v == nil {
					if got != "—" {
						t.Errorf("%s %s %s: %q for null", g, c.Name, d.ID, got)
					}
					continue
				}
				if d.Unit == metrics.UnitFlag && c.Code != spec.ProvinceCode {
					if got != map[float64]string{1: "是", 0: "否"}[*v] {
						t.Errorf("%s %s %s: %q for %v", g, c.Name, d.ID, got, *v)
					}
					continue
				}
				if x, err := strconv.ParseFloat(got, 64); err != nil || !near(x, *v) {
					t.Errorf("%s %s %s: %q, want %v", g, c.Name, d.ID, got, *v)
				}
				wantFmt := map[string]string{metrics.UnitRate: "0.0%", metrics.UnitRatio: "0.00", metrics.UnitCount: "0"}[d.Unit]
				if d.Unit == metrics.UnitFlag {
					wantFmt = map[string]string{metrics.ProvinceMean: "0.0%", metrics.ProvinceCount: `0"个市"`}[d.Province]
				}
				if nf := numFmt(t, f, g, ref); nf != wantFmt {
					t.Errorf("%s %s %s: format %q, want %q", g, c.Name, d.ID, nf, wantFmt)
				}
			}
		}
		if rows, _ := f.GetRows(g); len(rows) != 3+len(places) {
			t.Errorf("%s: %d rows", g, len(rows))
		}
	}
}

func TestStatusSheet(t *testing.T) {
	w, _ := fixture(t)
	const month = "2026-02"
	f, _ := reportOf(t, w, month)
	vals := stored(t, w, month)
	s := SheetStatus
	want := []string{"城市", "是否报送", "填报日期", "是否按时", "报送次数", "最近一次错误数", "最近一次结果", "填报人", "联系电话", "最近一次报送的文件"}
	for i, h := range want {
		if got := value(t, f, s, cellRef(i+1, 3)); got != h {
			t.Errorf("header %d: %q, want %s", i, got, h)
		}
	}
	book := spec.Load()
	attempts := 0
	for i, c := range book.Cities {
		row := i + 4
		if value(t, f, s, cellRef(1, row)) != c.Name {
			t.Fatalf("row %d: %q, want %s", row, value(t, f, s, cellRef(1, row)), c.Name)
		}
		sub := *vals[c.Code]["submitted"] == 1
		if got := value(t, f, s, cellRef(2, row)); got != map[bool]string{true: "是", false: "否"}[sub] {
			t.Errorf("%s: 是否报送 %q, submitted %v", c.Name, got, sub)
		}
		if got := value(t, f, s, cellRef(4, row)); got != map[float64]string{1: "是", 0: "否"}[*vals[c.Code]["on_time"]] {
			t.Errorf("%s: 是否按时 %q", c.Name, got)
		}
		n, _ := strconv.Atoi(value(t, f, s, cellRef(5, row)))
		if float64(n) != *vals[c.Code]["submission_count"] {
			t.Errorf("%s: %d attempts, stored %v", c.Name, n, *vals[c.Code]["submission_count"])
		}
		attempts += n
		if sub {
			if d := shown(t, f, s, cellRef(3, row)); !strings.HasPrefix(d, "2026-03-") || numFmt(t, f, s, cellRef(3, row)) != "yyyy-mm-dd" {
				t.Errorf("%s: 填报日期 %q (%s)", c.Name, d, numFmt(t, f, s, cellRef(3, row)))
			}
			if typ, _ := f.GetCellType(s, cellRef(3, row)); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("%s: 填报日期 is text", c.Name)
			}
		}
	}
	last := len(book.Cities) + 4
	if value(t, f, s, cellRef(1, last)) != spec.ProvinceName || shown(t, f, s, cellRef(2, last)) != strconv.Itoa(int(*vals[spec.ProvinceCode]["submitted"]))+"个市" {
		t.Errorf("province row: %q %q", value(t, f, s, cellRef(1, last)), shown(t, f, s, cellRef(2, last)))
	}
	if total, _ := strconv.Atoi(value(t, f, s, cellRef(5, last))); total != attempts || attempts <= len(book.Cities)-1 {
		t.Errorf("province attempts %d, cities %d", total, attempts)
	}
	if rows, _ := f.GetRows(s); len(rows) != last {
		t.Errorf("%d rows, the province's is %d", len(rows), last)
	}
}

// The same warehouse gives the same bytes.
func TestDeterministic(t *testing.T) {
	w, _ := fixture(t)
	_, a := reportOf(t, w, "2026-03")
	_, b := reportOf(t, w, "2026-03")
	if !bytes.Equal(a, b) {
		t.Error("two reports of the same warehouse differ")
	}
	_, c := reportOf(t, w, "2026-02")
	if bytes.Equal(a, c) {
		t.Error("two months give the same report")
	}
}

func TestNotComputed(t *testing.T) {
	w, _ := fixture(t)
	err := Write(context.Background(), w.DB(), "2025-12", &bytes.Buffer{})
	// The month travels with the error; cmd/ufa words the command that
	// computes it (its report_test checks "ufa metrics --month").
	var nc *metrics.NotComputedError
	if !errors.Is(err, ErrNotComputed) || !errors.As(err, &nc) || nc.Month != "2025-12" || !strings.Contains(err.Error(), "2025-12") {
		t.Errorf("got %v", err)
	}
	path := filepath.Join(t.TempDir(), "r.xlsx")
	if err := WriteFile(context.Background(), w.DB(), "2025-12", path); err == nil {
		t.Fatal("no error")
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 0 {
		t.Errorf("left %v", entries)
	}
}

// Text from a city's workbook that looks like a formula stays text.
func TestFormulaLookingTextStaysText(t *testing.T) {
	b, err := built()
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "ufa.duckdb")
	data, err := os.ReadFile(b.DB)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
	w := open(t, dst, false)
	ctx := context.Background()
	if err := w.UseKey(ctx, genwh.Key); err != nil {
		t.Fatal(err)
	}
	const filler, phone = `=HYPERLINK("http://x","y")`, "+86 24 8888 0000"
	c, _ := spec.Load().City("沈阳市")
	tb := testbook.ValidFor(c, "2026-03")
	tb.Set("封面", 0, "填报人", filler)
	tb.Set("封面", 0, "联系电话", phone)
	tb.Set("社会组织", 0, "组织名称", "@SUM(A1:A9)")
	const file = "-沈阳市_2026-03.xlsx"
	p, err := tb.WriteIn(t.TempDir(), file)
	if err != nil {
		t.Fatal(err)
	}
	l, err := genwh.Submit(ctx, w, p, time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC))
	if err != nil || l.Outcome != transform.Accepted {
		t.Fatalf("%+v %v", l, err)
	}
	if err := metrics.Compute(ctx, w.DB(), "2026-03", nil); err != nil {
		t.Fatal(err)
	}
	f, _ := reportOf(t, w, "2026-03")
	found := map[string]bool{}
	rows, err := f.GetRows(SheetStatus)
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for col, v := range row {
			for _, h := range []string{filler, phone, file} {
				if v != h {
					continue
				}
				ref := cellRef(col+1, r+1)
				formula, _ := f.GetCellFormula(SheetStatus, ref)
				typ, _ := f.GetCellType(SheetStatus, ref)
				if formula != "" || typ != excelize.CellTypeSharedString {
					t.Errorf("%s %q: formula %q, type %v", ref, v, formula, typ)
				}
				found[h] = true
			}
		}
	}
	if len(found) != 3 {
		t.Errorf("found %v of the three texts", found)
	}
}

func BenchmarkBuild(b *testing.B) {
	w, _ := fixture(b)
	for b.Loop() {
		if err := Write(context.Background(), w.DB(), "2026-03", io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
