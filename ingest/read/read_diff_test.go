package read

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"ufa/ingest/internal/ingesttest"
	"ufa/ingest/model"
	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// The differential test of the reader: the fast path (internal/xlsxscan)
// and the excelize path, forced with rdMode.excelizeOnly, must give the
// same Workbook (tables, values, header rows, columns, date system, city,
// month) and the same findings, on every workbook both can read.

// rdDiff reads path both ways and describes how they differ ("" when
// they agree). Both refusing counts as agreeing whatever the messages:
// the fast path refuses damage excelize reads a prefix of.
func rdDiff(book *spec.Book, path string) (fast, slow bool, diff string) {
	ctx := context.Background()
	fwb, ffs := rdReadWith(ctx, book, path, rdMode{})
	swb, sfs := rdReadWith(ctx, book, path, rdMode{excelizeOnly: true})
	fast, slow = fwb != nil, swb != nil
	switch {
	case !fast && !slow:
		return fast, slow, ""
	case !fast:
		return fast, slow, "only excelize reads it; fast path: " + ffs[0].Message
	case !slow:
		return fast, slow, "only the fast path reads it; excelize: " + sfs[0].Message
	}
	var out []string
	if !reflect.DeepEqual(ffs, sfs) {
		out = append(out, "findings differ:\nfast:"+ingesttest.Dump(ffs)+"\nexcelize:"+ingesttest.Dump(sfs))
	}
	if fwb.Date1904 != swb.Date1904 || fwb.City != swb.City || !fwb.Month.Equal(swb.Month) || !fwb.FiledOn.Equal(swb.FiledOn) {
		out = append(out, fmt.Sprintf("workbook facts differ: fast %v %v %v %v, excelize %v %v %v %v",
			fwb.Date1904, fwb.City, fwb.Month, fwb.FiledOn, swb.Date1904, swb.City, swb.Month, swb.FiledOn))
	}
	keys := map[string]bool{}
	for k := range fwb.Tables {
		keys[k] = true
	}
	for k := range swb.Tables {
		keys[k] = true
	}
	for _, k := range rdSortedKeys(keys) {
		if d := rdTableDiff(fwb.Tables[k], swb.Tables[k]); d != "" {
			out = append(out, k+": "+d)
		}
	}
	return fast, slow, strings.Join(out, "\n")
}

func rdSortedKeys(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// rdTableDiff describes the first differences of two tables.
func rdTableDiff(a, b *model.Table) string {
	switch {
	case a == nil && b == nil:
		return ""
	case a == nil || b == nil:
		return fmt.Sprintf("read by one path only (fast %v, excelize %v)", a != nil, b != nil)
	}
	var out []string
	if a.Name != b.Name || a.HeaderRow != b.HeaderRow || !reflect.DeepEqual(a.Cols, b.Cols) || !reflect.DeepEqual(a.Lines, b.Lines) {
		out = append(out, fmt.Sprintf("layout: fast %q row %d %q %v, excelize %q row %d %q %v",
			a.Name, a.HeaderRow, a.Cols, a.Lines, b.Name, b.HeaderRow, b.Cols, b.Lines))
	}
	if len(a.Rows) != len(b.Rows) {
		out = append(out, fmt.Sprintf("%d rows, excelize %d", len(a.Rows), len(b.Rows)))
	}
	for i := range min(len(a.Rows), len(b.Rows)) {
		if !reflect.DeepEqual(a.Rows[i], b.Rows[i]) {
			out = append(out, fmt.Sprintf("row %d: fast %+v, excelize %+v", i, a.Rows[i], b.Rows[i]))
			if len(out) > 5 {
				break
			}
		}
	}
	return strings.Join(out, "; ")
}

// TestReadDifferentialCorpus: every corpus file is read by both paths or
// refused by both, and read the same. The corpus's sheets are not ours
// (they give E_SHEET_MISSING), so this holds the two paths to the same
// outcome and the same sheet names; internal/xlsxscan's differential test
// compares their cells. The two files excelize reads wrongly there
// (calamine__empty_s_attribute.xlsx, sheetjs__wtf_path.xlsx) read the
// same here because neither has a sheet of ours.
func TestReadDifferentialCorpus(t *testing.T) {
	dir := testbook.CorpusDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*__*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus in %s (%v)", dir, err)
	}
	book := spec.Load()
	both, refused := 0, 0
	for _, path := range files {
		name := filepath.Base(path)
		fast, slow, diff := rdDiff(book, path)
		if diff != "" {
			t.Errorf("%s: %s", name, diff)
		}
		switch {
		case fast && slow:
			both++
		case !fast && !slow:
			refused++
		}
	}
	t.Logf("%d corpus files: %d read by both paths, %d refused by both", len(files), both, refused)
	// Most of the corpus is foreign but readable workbooks: a test that
	// compared nothing could not fail.
	if both < 80 {
		t.Errorf("only %d files read by both paths", both)
	}
}

// TestReadDifferentialGenerated: workbooks of internal/gen (three months
// of every city at a small scale, with the rejected first attempts,
// corrections and one workbook per finding code) and the messy layouts
// read the same both ways, findings included.
func TestReadDifferentialGenerated(t *testing.T) {
	book := spec.Load()
	dir := t.TempDir()
	sum, err := gen.Generate(context.Background(), book,
		gen.Options{Out: dir, From: "2026-01", To: "2026-03", Scale: 0.05, Faults: true, Seed: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range sum.Files {
		paths = append(paths, filepath.Join(dir, filepath.FromSlash(f.Path)))
	}
	extra := map[string][][]any{"填写说明": {{"说明"}, {"本表不读取"}}}
	for i, c := range []struct {
		book     func() *testbook.Book
		layout   map[string]ingesttest.Layout
		date1904 bool
	}{
		{ingesttest.MessyBook, ingesttest.MessyLayout(), false},
		{ingesttest.RealDates, nil, true},
		{func() *testbook.Book { b := ingesttest.MessyBook(); ingesttest.DatesAsCells(b); return b }, ingesttest.MessyLayout(), true},
	} {
		p := filepath.Join(dir, fmt.Sprintf("messy%d-沈阳市_2026-10.xlsx", i))
		ingesttest.MessyWrite(t, p, c.book(), c.layout, c.date1904, extra)
		paths = append(paths, p)
	}
	withFindings := 0
	for _, p := range paths {
		fast, slow, diff := rdDiff(book, p)
		if filepath.Base(p) == "E_FILE.xlsx" && !fast && !slow {
			continue // the fault sample of an unreadable file
		}
		if !fast || !slow || diff != "" {
			t.Errorf("%s: fast %v, excelize %v: %s", filepath.Base(p), fast, slow, diff)
			continue
		}
		if _, fs := Read(context.Background(), book, p); len(fs) > 0 {
			withFindings++
		}
	}
	// The faults of the reader (E_TYPE, E_ENUM, E_REQUIRED, the codes,
	// missing sheets and columns...) must reach its findings, or the
	// comparison of findings compared nothing.
	if withFindings < 8 {
		t.Errorf("only %d of %d workbooks have findings", withFindings, len(paths))
	}
	if len(paths) < 50 {
		t.Errorf("only %d workbooks", len(paths))
	}
	t.Logf("%d workbooks read the same both ways, %d with findings", len(paths), withFindings)
}

// TestReadFallback: a sheet using what the fast path does not read is
// read whole by excelize, as if the fast path had not been tried; what the
// fast path calls damage is refused, naming the sheet, where excelize
// would have read the rows before the damage and dropped the rest
// silently.
func TestReadFallback(t *testing.T) {
	book := spec.Load()
	for _, c := range []struct {
		name, cell string
		fallback   bool   // false: refused as damaged
		want       string // fallback: the name read from B2
		msg        string // refused: in the message
	}{
		{name: "unknown cell type", cell: `<c r="B2" t="x"><v>甲协会</v></c>`, fallback: true, want: "甲协会"},
		{name: "two texts in a string item", cell: `<c r="B2" t="inlineStr"><is><t>甲</t><t>甲协会</t></is></c>`, fallback: true, want: "甲协会"},
		{name: "markup inside a text", cell: `<c r="B2" t="inlineStr"><is><t>甲<b>协</b>协会</t></is></c>`, fallback: true, want: "甲协会"},
		// excelize would place the cells after one out of order next to
		// it, ignoring their references (B2 read empty): refused instead.
		{name: "cells out of order", cell: `<c r="P2" t="inlineStr"><is><t>备注</t></is></c><c r="B2" t="inlineStr"><is><t>甲协会</t></is></c>`, msg: "工作表“社会组织”第 2 行的单元格 B2 位置错乱"},
		{name: "mismatched end tag", cell: `<c r="B2" t="inlineStr"><is><t>甲协会</is></t></c>`, msg: "工作表“社会组织”的内容已损坏"},
		{name: "control character", cell: "<c r=\"B2\" t=\"inlineStr\"><is><t>甲\x01协会</t></is></c>", msg: "不允许的字符"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := testbook.Valid()
			p := ingesttest.Write(t, b)
			rdSetCellXML(t, p, rdSheetPart(b, "社会组织"), "B2", c.cell)
			_, _, err := rdReadFast(context.Background(), book, p)
			if got := rdFallback(context.Background(), err); got != c.fallback {
				t.Fatalf("fast path: %v; fallback %v, want %v", err, got, c.fallback)
			}
			wb, fs := Read(context.Background(), book, p)
			if !c.fallback {
				if wb != nil || len(fs) != 1 || !strings.Contains(fs[0].Message, c.msg) {
					t.Fatalf("read %v:%s\nwant one E_FILE with %q", wb != nil, ingesttest.Dump(fs), c.msg)
				}
				return
			}
			swb, sfs := rdReadWith(context.Background(), book, p, rdMode{excelizeOnly: true})
			if wb == nil || !reflect.DeepEqual(wb, swb) || !reflect.DeepEqual(fs, sfs) {
				t.Fatalf("the fallback differs from excelize:%s\nexcelize:%s", ingesttest.Dump(fs), ingesttest.Dump(sfs))
			}
			if got := rdValue(t, wb, spec.SheetOrganizations, 0, "name"); got.S != c.want {
				t.Errorf("name %+v, want %q", got, c.want)
			}
		})
	}
}

// A row too large for the scanner's window (64 MiB of XML) is refused
// with the message of the safety limits; it compresses to a small file.
func TestReadRowOverLimit(t *testing.T) {
	b := testbook.Valid()
	p := ingesttest.Write(t, b)
	rdSetCellXML(t, p, rdSheetPart(b, "社会组织"), "B2",
		`<c r="B2" t="inlineStr"><is><t>`+strings.Repeat("协", 23<<20)+`</t></is></c>`)
	wb, fs := Read(context.Background(), spec.Load(), p)
	if wb != nil || len(fs) != 1 || !strings.Contains(fs[0].Message, "安全上限") {
		t.Fatalf("read %v:%s\nwant the E_FILE of the limits", wb != nil, ingesttest.Dump(fs))
	}
}
