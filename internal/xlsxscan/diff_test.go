package xlsxscan

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// row is one row as both readers report it: the Excel row number and the
// cells positionally (excelize's []string form).
type row struct {
	n     int
	cells []string
}

// sheetRows is what a reader made of one sheet.
type sheetRows struct {
	rows []row
	err  error
}

// readExcelize reads every sheet with excelize's Rows iterator and raw
// values, with the options of the ufa reader, counting Next steps for row
// numbers as the reader does. A panic inside excelize is an error.
func readExcelize(path string) (names []string, sheets map[string]sheetRows, err error) {
	names, sheets, _, err = readExcelizeBook(path)
	return names, sheets, err
}

// readExcelizeBook is readExcelize that also gives the date system.
func readExcelizeBook(path string) (names []string, sheets map[string]sheetRows, date1904 bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("excelize panicked: %v", p)
		}
	}()
	f, err := excelize.OpenFile(path, excelize.Options{
		RawCellValue: true, UnzipSizeLimit: 512 << 20, UnzipXMLSizeLimit: 8 << 20,
	})
	if err != nil {
		return nil, nil, false, err
	}
	defer f.Close()
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	names = f.GetSheetList()
	sheets = map[string]sheetRows{}
	for _, name := range names {
		sheets[name] = excelizeSheet(f, name)
	}
	return names, sheets, date1904, nil
}

func excelizeSheet(f *excelize.File, name string) (out sheetRows) {
	defer func() {
		if p := recover(); p != nil {
			out.err = fmt.Errorf("excelize panicked: %v", p)
		}
	}()
	rows, err := f.Rows(name)
	if err != nil {
		return sheetRows{err: err}
	}
	defer rows.Close()
	line := 0
	for rows.Next() {
		line++
		cells, err := rows.Columns()
		if err != nil {
			return sheetRows{rows: out.rows, err: err}
		}
		if len(cells) > 0 {
			out.rows = append(out.rows, row{line, cells})
		}
	}
	out.err = rows.Error()
	return out
}

// readFast reads every sheet with the fast path.
func readFast(path string) (names []string, sheets map[string]sheetRows, err error) {
	names, sheets, _, err = readFastBook(path)
	return names, sheets, err
}

func readFastBook(path string) (names []string, sheets map[string]sheetRows, date1904 bool, err error) {
	b, err := OpenFile(context.Background(), path, Limits{})
	if err != nil {
		return nil, nil, false, err
	}
	defer b.Close()
	date1904 = b.Date1904()
	for _, s := range b.Sheets() {
		names = append(names, s.Name)
	}
	sheets = map[string]sheetRows{}
	for _, name := range names {
		var out sheetRows
		var buf []string
		out.err = b.Rows(context.Background(), name, func(n int, cells []Cell) error {
			buf = Strings(buf, cells)
			out.rows = append(out.rows, row{n, slices.Clone(buf)})
			return nil
		})
		sheets[name] = out
	}
	return names, sheets, date1904, nil
}

// verdict compares the two readings of one file.
type verdict struct {
	agreed         int      // sheets read identically by both
	fastRefused    []string // sheets (or "*" for the file) the fast path refused
	excelizeFailed []string // sheets excelize failed on
	diffs          []string // sheets both read, differently
}

func compare(path string) verdict {
	var v verdict
	enames, esheets, e1904, eerr := readExcelizeBook(path)
	fnames, fsheets, f1904, ferr := readFastBook(path)
	switch {
	case ferr != nil && eerr != nil:
		v.fastRefused = append(v.fastRefused, "* "+ferr.Error())
		v.excelizeFailed = append(v.excelizeFailed, "* "+eerr.Error())
		return v
	case ferr != nil:
		v.fastRefused = append(v.fastRefused, "* "+ferr.Error())
		return v
	case eerr != nil:
		v.excelizeFailed = append(v.excelizeFailed, "* "+eerr.Error())
		return v
	}
	if e1904 != f1904 {
		v.diffs = append(v.diffs, fmt.Sprintf("date1904: excelize %v, fast %v", e1904, f1904))
	}
	if !slices.Equal(enames, fnames) {
		v.diffs = append(v.diffs, fmt.Sprintf("sheet lists differ: excelize %q, fast %q", enames, fnames))
	}
	for _, name := range fnames {
		e, eok := esheets[name]
		f := fsheets[name]
		switch {
		case !eok:
			continue
		case f.err != nil && errors.Is(f.err, ErrNoSheet) && e.err != nil:
			v.agreed++ // both: no such sheet part
		case f.err != nil:
			v.fastRefused = append(v.fastRefused, name+": "+f.err.Error())
			if e.err != nil {
				v.excelizeFailed = append(v.excelizeFailed, name+": "+e.err.Error())
			}
		case e.err != nil:
			v.excelizeFailed = append(v.excelizeFailed, name+": "+e.err.Error())
		default:
			if d := diffRows(e.rows, f.rows); d != "" {
				v.diffs = append(v.diffs, name+": "+d)
			} else {
				v.agreed++
			}
		}
	}
	return v
}

// diffRows describes the first difference between two readings of a
// sheet, or returns "".
func diffRows(e, f []row) string {
	for i := 0; i < len(e) || i < len(f); i++ {
		switch {
		case i >= len(e):
			return fmt.Sprintf("fast path has an extra row %d %q", f[i].n, f[i].cells)
		case i >= len(f):
			return fmt.Sprintf("fast path lacks row %d %q", e[i].n, e[i].cells)
		case e[i].n != f[i].n:
			return fmt.Sprintf("row %d (excelize) is row %d (fast)", e[i].n, f[i].n)
		case !slices.Equal(e[i].cells, f[i].cells):
			return fmt.Sprintf("row %d: excelize %q, fast %q", e[i].n, e[i].cells, f[i].cells)
		}
	}
	return ""
}

// knownDiffs are the corpus files that both readers read differently,
// each because excelize mishandles something valid; the fast path is not
// made to copy the bug. TestKnownDiffs checks what the fast path reads
// there.
var knownDiffs = map[string]string{
	// Every cell has s="" (an empty style attribute). excelize's cell
	// attribute parser fails on it, and its Rows iterator then abandons
	// the cell: the whole sheet reads as empty. The fast path does not
	// look at s.
	"calamine__empty_s_attribute.xlsx": "excelize drops cells with s=\"\"",
	// The workbook is under wtf/ (found through _rels/.rels, as Excel
	// does). excelize looks for the shared strings only at
	// xl/sharedStrings.xml and silently drops every t="s" cell; the fast
	// path follows the workbook's relationships.
	"sheetjs__wtf_path.xlsx": "excelize misses a shared-string table outside xl/",
}

// fastOnlyRefusals are the corpus files excelize reads and the fast path
// refuses, deliberately: damaged packages (the ufa reader refuses them
// before either reads them).
var fastOnlyRefusals = map[string]string{
	"poi__duplicate-filename.xlsx":                  "two zip entries with the same name (excelize keeps the last)",
	"poi__fuzz-POIXSSFFuzzer-5265527465181184.xlsx": "a part with a bad CRC (excelize ignores it)",
}

// TestDifferentialCorpus reads every corpus file with both readers: where
// both read a sheet, they must give the same rows, row numbers, columns
// and values, except for the known differences.
func TestDifferentialCorpus(t *testing.T) {
	dir := testbook.CorpusDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*__*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus in %s (%v)", dir, err)
	}
	sort.Strings(files)
	var agreedFiles, fastRefused, excelizeFailed, sheets, both int
	for _, path := range files {
		name := filepath.Base(path)
		v := compare(path)
		sheets += v.agreed
		if len(v.fastRefused) > 0 && len(v.excelizeFailed) > 0 {
			both++
		}
		if len(v.fastRefused) > 0 && len(v.excelizeFailed) == 0 {
			if why, ok := fastOnlyRefusals[name]; ok {
				t.Logf("%s: refused by the fast path only, as meant (%s)", name, why)
			} else {
				t.Errorf("%s: excelize reads it, the fast path refuses it: %s", name, strings.Join(v.fastRefused, "; "))
			}
		} else if _, ok := fastOnlyRefusals[name]; ok {
			t.Errorf("%s: no longer refused by the fast path only: update fastOnlyRefusals", name)
		}
		if len(v.fastRefused) > 0 {
			fastRefused++
			t.Logf("%s: fast path refused: %s", name, strings.Join(v.fastRefused, "; "))
		}
		if len(v.excelizeFailed) > 0 {
			excelizeFailed++
			t.Logf("%s: excelize failed: %s", name, strings.Join(v.excelizeFailed, "; "))
		}
		_, known := knownDiffs[name]
		switch {
		case len(v.diffs) > 0 && known:
			t.Logf("%s: known difference (%s): %s", name, knownDiffs[name], strings.Join(v.diffs, "; "))
		case len(v.diffs) > 0:
			t.Errorf("%s: %s", name, strings.Join(v.diffs, "\n\t"))
		case known:
			t.Errorf("%s: the known difference (%s) is gone: update knownDiffs", name, knownDiffs[name])
		}
		if len(v.diffs) == 0 && len(v.fastRefused) == 0 && len(v.excelizeFailed) == 0 {
			agreedFiles++
		}
	}
	t.Logf("%d files: %d read identically by both (%d sheets in all files); fast path refused all or part of %d, excelize failed on all or part of %d, both on %d; %d known differences",
		len(files), agreedFiles, sheets, fastRefused, excelizeFailed, both, len(knownDiffs))
	// The corpus is mostly readable: a fast path refusing much of it
	// would only be slow, not wrong, but would defeat its purpose.
	if agreedFiles < 90 {
		t.Errorf("only %d corpus files read identically", agreedFiles)
	}
}

// TestKnownDiffs checks the fast path's reading of the files excelize
// gets wrong.
func TestKnownDiffs(t *testing.T) {
	dir := testbook.CorpusDir(t)
	tests := []struct {
		file, sheet string
		want        []row
	}{
		{"calamine__empty_s_attribute.xlsx", "Sheet1", []row{
			{1, []string{"Name", "Value"}},
			{2, []string{"John", "1"}},
			{3, []string{"Sophia", "2"}},
			{4, []string{"Peter", "3"}},
			{5, []string{"Sam", "4"}},
		}},
		{"sheetjs__wtf_path.xlsx", "SheetJS", []row{
			{1, []string{"1", "2", "3", "", ""}},
			{2, []string{"1", "0", "", "sheetjs"}},
			{3, []string{"foo    bar", "baz", "41689.4375", "0.3"}},
			{4, []string{"baz", "", "௮", "3.14159"}},
			{5, []string{"hidden"}},
			{6, []string{"visible"}},
		}},
		{"sheetjs__wtf_path.xlsx", "Hidden", []row{
			{1, []string{"H", "i", "d", "d", "e", "n"}},
			{2, []string{"1", "1", "3", "a", "", "c"}},
			{3, []string{"2", "0", "1", "sh33t", "", "j5"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.sheet, func(t *testing.T) {
			_, sheets, err := readFast(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := sheets[tt.sheet]
			if got.err != nil {
				t.Fatal(got.err)
			}
			if d := diffRows(tt.want, got.rows); d != "" {
				t.Error("(first: want, second: got)", d)
			}
		})
	}
}

// requireSame reads a file with both readers and fails unless every sheet
// reads the same and neither refuses anything.
func requireSame(t *testing.T, path string) int {
	t.Helper()
	v := compare(path)
	for _, m := range append(append(v.fastRefused, v.excelizeFailed...), v.diffs...) {
		t.Errorf("%s: %s", filepath.Base(path), m)
	}
	return v.agreed
}

// TestDifferentialTestbook: the shared valid workbook (written with
// excelize's SetSheetRow, so with a shared-string table).
func TestDifferentialTestbook(t *testing.T) {
	path, err := testbook.Valid().WriteIn(t.TempDir(), "valid.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if n := requireSame(t, path); n < 8 {
		t.Errorf("%d sheets agreed, want the 8 sheets of the template", n)
	}
}

// TestDifferentialGenerated: the generator's workbooks, every city style
// (titles and merged title rows, 序号, text dates, aliases), the rejected
// first attempts and corrections, and one small workbook per finding code.
func TestDifferentialGenerated(t *testing.T) {
	dir := t.TempDir()
	sum, err := gen.Generate(context.Background(), spec.Load(), gen.Options{
		Out: dir, From: "2026-03", To: "2026-03", Scale: 0.02, Faults: true, Seed: 11,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	files, sheets := 0, 0
	for _, f := range sum.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if f.Code == "E_FILE" { // not a workbook at all: both refuse it
			if v := compare(path); len(v.fastRefused) != 1 || len(v.excelizeFailed) != 1 || v.agreed != 0 {
				t.Errorf("%s: fast %q, excelize %q", f.Path, v.fastRefused, v.excelizeFailed)
			}
			continue
		}
		sheets += requireSame(t, path)
		files++
	}
	if files < 30 {
		t.Errorf("only %d generated files", files)
	}
	t.Logf("%d generated files, %d sheets read identically", files, sheets)
}

// TestDifferentialOddCells writes cells of every kind excelize can write
// (shared and inline strings, rich text, formulas with and without cached
// values, booleans, floats, dates in the 1904 system, text that needs
// escaping) and requires the same reading from both paths.
func TestDifferentialOddCells(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const s = "Sheet1"
	texts := []string{
		"a&b<c>\"d'e", "  leading and trailing  ", "line1\r\nline2\rline3\nline4", "tab\there",
		"_x000D_ literal", "_x005F_x000D_", "汉字 全角１２３", "emoji 😀", "", "0012", "1E5", " ",
	}
	for i, v := range texts {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetCellStr(s, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellValue(s, "B1", true))
	must(f.SetCellValue(s, "B2", false))
	must(f.SetCellValue(s, "B3", 3.14159))
	must(f.SetCellValue(s, "B4", -0.1))
	must(f.SetCellValue(s, "B5", 1e300))
	must(f.SetCellValue(s, "B6", time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)))
	must(f.SetCellFormula(s, "C1", "B3*2"))
	must(f.SetCellFormula(s, "C2", `"x"&"y"`))
	must(f.SetCellValue(s, "C3", 12))
	must(f.SetCellFormula(s, "C3", "6*2"))
	must(f.SetCellRichText(s, "D1", []excelize.RichTextRun{
		{Text: "粗体", Font: &excelize.Font{Bold: true}}, {Text: " & plain"}, {Text: "_x0041_"},
	}))
	must(f.SetCellValue(s, "XFD7", "last column"))
	must(f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: boolPtr(true)}))
	idx, err := f.NewSheet("流式")
	must(err)
	_ = idx
	sw, err := f.NewStreamWriter("流式")
	must(err)
	for r := 1; r <= 50; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r*2)
		must(sw.SetRow(cell, []any{"inline " + texts[r%len(texts)], r, float64(r) / 3, r%2 == 0, nil,
			excelize.Cell{Formula: "A1", Value: "cached"}}))
	}
	must(sw.SetRow("A1048576", []any{"last row"}))
	must(sw.Flush())
	path := filepath.Join(t.TempDir(), "odd.xlsx")
	must(f.SaveAs(path))
	if n := requireSame(t, path); n != 2 {
		t.Errorf("%d sheets agreed, want 2", n)
	}
	b, err := OpenFile(context.Background(), path, Limits{})
	must(err)
	defer b.Close()
	if !b.Date1904() {
		t.Error("Date1904() = false for a 1904 workbook")
	}
	// Both paths agree; check a few cells against what was written, so
	// that a bug shared by both cannot pass.
	got := map[string]string{}
	for _, sh := range []string{s, "流式"} {
		must(b.Rows(context.Background(), sh, func(r int, cells []Cell) error {
			for _, c := range cells {
				name, _ := excelize.CoordinatesToCellName(c.Col, r)
				got[sh+"!"+name] = c.Type.String() + ":" + c.String()
			}
			return nil
		}))
	}
	for cell, want := range map[string]string{
		"Sheet1!A1":   "s:a&b<c>\"d'e",
		"Sheet1!A3":   "s:line1\r\nline2\rline3\nline4",
		"Sheet1!A8":   "s:emoji 😀",
		"Sheet1!B1":   "b:1",
		"Sheet1!C1":   "str:",
		"Sheet1!C3":   "str:12",
		"Sheet1!D1":   "s:粗体 & plain_x0041_",
		"Sheet1!XFD7": "s:last column",
		"Sheet1!A12":  "s: ",
		"流式!A2":       "inlineStr:inline   leading and trailing  ",
		"流式!F2":       "str:cached",
		"流式!A1048576": "inlineStr:last row",
		"Sheet1!A9":   "", // an empty string is no cell
		"流式!E2":       "", // nil is no cell
	} {
		if got[cell] != want {
			t.Errorf("%s = %q, want %q", cell, got[cell], want)
		}
	}
}

func boolPtr(b bool) *bool { return &b }
