package queries

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ufa/metrics"
)

// TestCSVNeutralisesFormulas: a text cell a spreadsheet would run as a
// formula gets a leading quote (also full-width and after blanks); numbers,
// negative ones included, and harmless text are left alone.
func TestCSVNeutralisesFormulas(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"},
		{"+1+2", "'+1+2"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"  =1", "'  =1"},
		{"\u3000=1", "'\u3000=1"}, // ideographic space, trimmed
		{"＝1+1", "'＝1+1"},         // full-width, NFKC =
		{"＠x", "'＠x"},
		{"沈阳市", "沈阳市"},
		{"a=b", "a=b"},
		{"", ""},
		{"2026-10", "2026-10"},
	}
	for _, tc := range tests {
		if got := CSVText(tc.in); got != tc.want {
			t.Errorf("CSVText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	r, _ := fixture(t)
	rows, err := r.Run(context.Background(), Request{SQL: "SELECT '=1+2' AS \"=头\", -5 AS neg, -2.5::DOUBLE AS negf, '-3' AS negtext, '沈阳市' AS city"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, CSV, rows); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"'=头", "neg", "negf", "negtext", "city"}, {"'=1+2", "-5", "-2.5", "'-3", "沈阳市"}}
	if strings.Join(recs[0], "|") != strings.Join(want[0], "|") || strings.Join(recs[1], "|") != strings.Join(want[1], "|") {
		t.Errorf("csv %q, want %q", recs, want)
	}
}

// TestRatesAsPercentages: a named query's rate columns (names ending in
// 率) show as 63.4% in the table and as numbers formatted 0.0% in xlsx,
// while csv keeps the fraction.
func TestRatesAsPercentages(t *testing.T) {
	r, _ := fixture(t)
	ctx := context.Background()
	q, _ := Lookup("coverage")
	req := Request{Query: &q, Args: map[string]string{"month": "2026-03", "city": "沈阳市"}}

	rows, err := r.Run(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	res := collect(t, rows)
	rate := res.col(t, "党的工作覆盖率")
	var fractions []float64
	for _, row := range res.rows {
		if v, ok := row[rate].(float64); ok {
			fractions = append(fractions, v)
		}
	}
	if len(fractions) == 0 {
		t.Fatal("no rates in coverage")
	}

	rows, _ = r.Run(ctx, req)
	var table bytes.Buffer
	if err := Write(&table, Table, rows); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for _, f := range fractions {
		if !strings.Contains(table.String(), metrics.Percent(f)) {
			t.Errorf("table lacks %s for %v:\n%s", metrics.Percent(f), f, table.String())
		}
	}

	rows, _ = r.Run(ctx, req)
	var csvOut bytes.Buffer
	if err := Write(&csvOut, CSV, rows); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if strings.Contains(csvOut.String(), "%") {
		t.Errorf("csv shows percentages:\n%s", csvOut.String())
	}

	rows, _ = r.Run(ctx, req)
	var x bytes.Buffer
	if err := Write(&x, XLSX, rows); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head, _ := f.GetRows(xlsxSheet)
	col := -1
	for i, h := range head[0] {
		if h == "党的工作覆盖率" {
			col = i
		}
	}
	cell, _ := excelize.CoordinatesToCellName(col+1, 2)
	raw, _ := f.GetCellValue(xlsxSheet, cell, excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue(xlsxSheet, cell)
	if math.Abs(parseF(t, raw)-fractions[0]) > 1e-12 {
		t.Errorf("xlsx %s raw %q, want the fraction %v", cell, raw, fractions[0])
	}
	if shown != metrics.Percent(fractions[0]) {
		t.Errorf("xlsx %s shown %q, want %q", cell, shown, metrics.Percent(fractions[0]))
	}
	// Free SQL is not guessed at: a column named 率 stays a number.
	rows, _ = r.Run(ctx, Request{SQL: "SELECT 0.5::DOUBLE AS 覆盖率"})
	var plain bytes.Buffer
	Write(&plain, Table, rows)
	rows.Close()
	if strings.Contains(plain.String(), "%") {
		t.Errorf("free SQL shown as percent:\n%s", plain.String())
	}
}

func parseF(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return f
}
