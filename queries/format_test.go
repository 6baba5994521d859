package queries

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ufa/internal/spec"
	"ufa/internal/testing/genwh"
	"ufa/internal/testing/testbook"
	"ufa/internal/textgrid"
)

// The result every format test writes: uncovered organizations of
// 2026-03, which has text (Chinese names), whole numbers and booleans,
// plus the submissions query for dates and nulls.
func formatRequests(t *testing.T) []Request {
	t.Helper()
	unc, _ := Lookup("uncovered_orgs")
	sub, _ := Lookup("submissions")
	return []Request{
		{Query: &unc, Args: map[string]string{"month": "2026-03"}},
		{Query: &sub, Args: map[string]string{"month": "2026-03"}},
		{SQL: "SELECT 1.5::DOUBLE AS x, NULL AS nothing, 'a\"b,c' AS quoted, 12345678901234::BIGINT AS big, DATE '2026-03-05' AS d, TIMESTAMP '2026-03-05 08:09:10' AS ts, 3.25::DECIMAL(10,2) AS dec"},
	}
}

func TestTableFormat(t *testing.T) {
	r, _ := fixture(t)
	rows, err := r.Run(context.Background(), formatRequests(t)[0])
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, Table, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	want := named(t, r, "uncovered_orgs", "month", "2026-03")
	if len(lines) != len(want.rows)+2 || lines[len(lines)-1] != "（共 "+strconv.Itoa(len(want.rows))+" 行）" {
		t.Fatalf("%d lines for %d rows; last %q", len(lines), len(want.rows), lines[len(lines)-1])
	}
	// Aligned: the name column starts at the same display column on every
	// line, Chinese characters counting two.
	nameCol := want.col(t, "组织名称")
	start := func(line, cell string) int { return textgrid.Width(line[:strings.Index(line, cell)]) }
	at := start(lines[0], "组织名称")
	for i, row := range want.rows {
		if got := start(lines[i+1], row[nameCol].(string)); got != at {
			t.Errorf("line %d: name at column %d, header at %d:\n%s\n%s", i+1, got, at, lines[0], lines[i+1])
		}
		if f := strings.Fields(lines[i+1]); f[len(f)-2] != "否" || f[len(f)-1] != "否" {
			t.Errorf("line %d: booleans not 是/否: %q", i+1, lines[i+1])
		}
	}
	if textgrid.Width("沈阳市ab") != 8 {
		t.Error("textgrid.Width does not count Chinese as two")
	}
}

func TestCSVFormat(t *testing.T) {
	r, _ := fixture(t)
	for _, req := range formatRequests(t) {
		rows, err := r.Run(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, CSV, rows); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := runAll(t, r, req)
		if len(recs) != len(want.rows)+1 || strings.Join(recs[0], ",") != strings.Join(want.cols, ",") {
			t.Fatalf("%d records, header %v; want %d rows, %v", len(recs), recs[0], len(want.rows), want.cols)
		}
		for i, row := range want.rows {
			for j, v := range row {
				if got := recs[i+1][j]; got != csvWant(v) {
					t.Errorf("row %d %s: %q, want %q", i, want.cols[j], got, csvWant(v))
				}
			}
		}
	}
}

func csvWant(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	}
	return v.(string)
}

func runAll(t *testing.T, r *Runner, req Request) *result {
	t.Helper()
	rows, err := r.Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return collect(t, rows)
}

func TestJSONFormat(t *testing.T) {
	r, _ := fixture(t)
	for _, req := range formatRequests(t) {
		rows, err := r.Run(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, JSON, rows); err != nil {
			t.Fatal(err)
		}
		var got []map[string]any
		dec := json.NewDecoder(&buf)
		dec.UseNumber()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("not a JSON array: %v", err)
		}
		want := runAll(t, r, req)
		if len(got) != len(want.rows) {
			t.Fatalf("%d objects, want %d", len(got), len(want.rows))
		}
		for i, row := range want.rows {
			if len(got[i]) != len(want.cols) {
				t.Errorf("object %d has %d keys", i, len(got[i]))
			}
			for j, v := range row {
				g := got[i][want.cols[j]]
				switch x := v.(type) {
				case int64, float64:
					if n, ok := g.(json.Number); !ok || n.String() != csvWant(x) {
						t.Errorf("%s: %v (%T), want the number %v", want.cols[j], g, g, x)
					}
				case bool, nil:
					if g != x {
						t.Errorf("%s: %v, want %v", want.cols[j], g, x)
					}
				default:
					if g != csvWant(x) {
						t.Errorf("%s: %v, want %q", want.cols[j], g, csvWant(x))
					}
				}
			}
		}
	}
	// Keys keep the column order, and a repeated name stays distinct.
	rows, err := r.Run(context.Background(), Request{SQL: "SELECT 2 AS b, 1 AS a, 3 AS a"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, JSON, rows); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "[\n  {\"b\": 2, \"a\": 1, \"a_2\": 3}\n]\n" {
		t.Errorf("got %q", got)
	}
	rows, _ = r.Run(context.Background(), Request{SQL: "SELECT 1 AS a WHERE false"})
	buf.Reset()
	if err := Write(&buf, JSON, rows); err != nil || buf.String() != "[]\n" {
		t.Errorf("empty: %q %v", buf.String(), err)
	}
}

func TestXLSXFormat(t *testing.T) {
	r, _ := fixture(t)
	for _, req := range formatRequests(t) {
		rows, err := r.Run(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, XLSX, rows); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		want := runAll(t, r, req)
		got, err := f.GetRows(xlsxSheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want.rows)+1 || strings.Join(got[0], ",") != strings.Join(want.cols, ",") {
			t.Fatalf("%d rows, header %v", len(got), got[0])
		}
		// Bold frozen header.
		st, _ := f.GetCellStyle(xlsxSheet, "A1")
		style, _ := f.GetStyle(st)
		panes, _ := f.GetPanes(xlsxSheet)
		if style == nil || style.Font == nil || !style.Font.Bold || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("header style %+v, panes %+v", style, panes)
		}
		for i, row := range want.rows {
			for j, v := range row {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+2)
				typ, _ := f.GetCellType(xlsxSheet, ref)
				shown, _ := f.GetCellValue(xlsxSheet, ref)
				switch x := v.(type) {
				case int64, float64:
					if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
						t.Errorf("%s: type %v, want a number", ref, typ)
					}
					if raw := got[i+1][j]; raw != csvWant(x) {
						t.Errorf("%s: %q, want %v", ref, raw, x)
					}
				case time.Time:
					if want := csvWant(x); shown != want {
						t.Errorf("%s: shows %q, want %q", ref, shown, want)
					}
				case bool:
					if shown != map[bool]string{true: "是", false: "否"}[x] {
						t.Errorf("%s: %q for %v", ref, shown, x)
					}
				case nil:
					if shown != "" {
						t.Errorf("%s: %q for null", ref, shown)
					}
				case string:
					if shown != x || typ != excelize.CellTypeInlineString {
						t.Errorf("%s: %q (type %v), want the text %q", ref, shown, typ, x)
					}
				}
			}
		}
		f.Close()
	}
}

// A name that looks like a formula, exported as xlsx, stays text.
func TestXLSXFormulaLookingTextStaysText(t *testing.T) {
	w := writableCopy(t)
	hostile := []string{`=HYPERLINK("http://x","y")`, "+1+1", "-2+3", "@SUM(A1:A2)"}
	c, _ := spec.Load().City("沈阳市")
	b := testbook.ValidFor(c, "2026-04")
	for i, name := range hostile[:3] {
		b.Set("社会组织", i, "组织名称", name)
	}
	b.Set("封面", 0, "填报人", hostile[3])
	p, err := b.WriteIn(t.TempDir(), testbook.FileNameFor(c, "2026-04"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := genwh.Submit(context.Background(), w, p, time.Date(2026, 5, 3, 9, 0, 0, 0, time.UTC))
	if err != nil || l.Outcome != "accepted" {
		t.Fatalf("%+v %v", l, err)
	}
	r := &Runner{DB: w.DB()}
	rows, err := r.Run(context.Background(), Request{SQL: `SELECT name FROM cur_organizations WHERE month = '2026-04'
		UNION ALL SELECT filled_by FROM cur_cover WHERE month = '2026-04' ORDER BY 1`})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, XLSX, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]bool{}
	for row := 2; row <= 5; row++ {
		ref := "A" + strconv.Itoa(row)
		v, _ := f.GetCellValue(xlsxSheet, ref)
		formula, _ := f.GetCellFormula(xlsxSheet, ref)
		if formula != "" {
			t.Errorf("%s holds the formula %q", ref, formula)
		}
		seen[v] = true
	}
	for _, h := range hostile {
		if !seen[h] {
			t.Errorf("%q not found as text; cells %v", h, seen)
		}
	}
}

func TestParquetFormat(t *testing.T) {
	r, _ := fixture(t)
	ctx := context.Background()
	ind, _ := Lookup("indicator_rows")
	reqs := append(formatRequests(t), Request{Query: &ind, Args: map[string]string{"month": "2026-03", "city": "沈阳市", "indicator": "work_coverage"}})
	for i, req := range reqs {
		path := filepath.Join(t.TempDir(), "out.parquet")
		if err := r.Parquet(ctx, req, path); err != nil {
			t.Fatal(err)
		}
		want := runAll(t, r, req)
		got := readParquet(t, r.DB, path)
		if strings.Join(got.cols, ",") != strings.Join(want.cols, ",") || len(got.rows) != len(want.rows) || len(got.rows) == 0 {
			t.Fatalf("request %d: %v × %d, want %v × %d", i, got.cols, len(got.rows), want.cols, len(want.rows))
		}
		for j := range want.rows {
			for k, v := range want.rows[j] {
				if csvWant(got.rows[j][k]) != csvWant(v) {
					t.Errorf("request %d row %d %s: %v, want %v", i, j, want.cols[k], got.rows[j][k], v)
				}
			}
		}
		if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp")); len(matches) > 0 {
			t.Errorf("temporary files left: %v", matches)
		}
	}
	// A failing query leaves no file.
	path := filepath.Join(t.TempDir(), "bad.parquet")
	if err := r.Parquet(ctx, Request{SQL: "SELECT * FROM no_such_table"}, path); err == nil {
		t.Fatal("no error")
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*")); len(matches) > 0 {
		t.Errorf("files left: %v", matches)
	}
}

func readParquet(t *testing.T, db *sql.DB, path string) *result {
	t.Helper()
	rows, err := db.Query("SELECT * FROM read_parquet(?)", path)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	sr := &sqlRows{rows: rows, vals: make([]any, len(cols)), ptrs: make([]any, len(cols))}
	for _, c := range cols {
		sr.cols = append(sr.cols, Column{Name: c})
	}
	return collect(t, sr)
}
