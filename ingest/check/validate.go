package check

import (
	"context"
	"sort"

	"ufa/ingest/model"
	"ufa/ingest/read"
	"ufa/internal/spec"
	"ufa/internal/textnorm"
)

// Validate reads the workbook at path and, when it could be read, checks
// it: the whole of `ufa validate` for one file, and the gate of `ufa
// ingest`. Findings come in the order a clerk works through the file: the
// file first, then the sheets in the spec's order, each by row, then by
// column; findings on one cell keep the order they were made in (the
// reader's before Check's). A workbook with errors is returned without
// the Rows of its table sheets: it loads nothing, and a batch must not
// hold a rejected workbook's rows (issue 11).
func Validate(ctx context.Context, book *spec.Book, path string, opt Options) *model.Result {
	wb, fs := read.Read(ctx, book, path)
	res := &model.Result{File: path, Workbook: wb, Findings: fs}
	if wb != nil && ctx.Err() == nil {
		fs, ok := checkSafely(book, wb, opt)
		if !ok {
			// One file's failure must not stop a batch: it is that file's
			// E_FILE, like a panic of the reader.
			res.Workbook, wb, fs = nil, nil, nil
			res.Findings = read.Crashed()
		}
		res.Findings = append(res.Findings, fs...)
	}
	if wb == nil {
		res.NameCity, res.NameMonth = ckFileNameFacts(book, read.ShownPath(path))
		if res.NameCity != nil && len(res.Findings) == 1 {
			// The finding itself says whose attempt this was, wherever it
			// is shown or stored.
			who := res.NameCity.Name
			if !res.NameMonth.IsZero() {
				who += " " + res.NameMonth.Format("2006-01")
			}
			res.Findings[0].Message += "（按文件名，这是" + who + "的报送。）"
		}
	}
	if wb != nil && res.Errors() > 0 {
		// A rejected workbook loads nothing: its rows are let go at once,
		// so that a batch holding the results of many files until they are
		// stored in filing order (ufa ingest, ufa run) holds, for a
		// workbook of a million wrong rows, its 1,000 findings per code
		// rather than its rows. The tables keep where their columns and
		// items are (for the annotated copy).
		for _, t := range wb.Tables {
			if t != nil && !t.Spec.Items {
				t.Rows = nil
			}
		}
	}
	SortFindings(book, wb, res.Findings)
	return res
}

// SortFindings orders findings as Validate returns them. wb may be nil.
func SortFindings(book *spec.Book, wb *model.Workbook, fs []model.Finding) {
	rank := map[string]int{}
	for i, s := range book.Sheets {
		for _, n := range append([]string{s.Name}, s.Aliases...) {
			rank[textnorm.SheetName(n)] = i
		}
	}
	byName := map[string]int{}
	if wb != nil {
		for key, t := range wb.Tables {
			for i, s := range book.Sheets {
				if s.Key == key && t != nil {
					byName[t.Name] = i
				}
			}
		}
	}
	order := func(sheet string) int {
		if sheet == "" {
			return -1
		}
		if i, ok := byName[sheet]; ok {
			return i
		}
		if i, ok := rank[textnorm.SheetName(sheet)]; ok {
			return i
		}
		return len(book.Sheets)
	}
	// The rank is computed once per finding: a broken workbook can have
	// tens of thousands of findings.
	type ranked struct {
		f model.Finding
		o int
	}
	rs := make([]ranked, len(fs))
	for i, f := range fs {
		rs[i] = ranked{f, order(f.Sheet)}
	}
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.o != b.o {
			return a.o < b.o
		}
		if a.f.Sheet != b.f.Sheet {
			return a.f.Sheet < b.f.Sheet
		}
		if a.f.Row != b.f.Row {
			return a.f.Row < b.f.Row
		}
		if len(a.f.Column) != len(b.f.Column) {
			return len(a.f.Column) < len(b.f.Column)
		}
		return a.f.Column < b.f.Column
	})
	for i := range rs {
		fs[i] = rs[i].f
	}
}

// checkSafely is Check with a panic turned into ok == false.
func checkSafely(book *spec.Book, wb *model.Workbook, opt Options) (fs []model.Finding, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			fs, ok = nil, false
		}
	}()
	return Check(book, wb, opt), true
}
