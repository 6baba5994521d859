package ingest

import (
	"fmt"

	"ufa/internal/spec"
)

// maxFindingsPerKind bounds the findings of one code on one sheet. A
// workbook whose 100,000 rows are all wrong the same way would otherwise
// give millions of findings: memory the clerk's PC may not have, and a
// report nobody reads. Past the bound, one closing finding says how many
// there are in all.
const maxFindingsPerKind = 1000

type findingKind struct {
	sheet, code string
	sev         Severity
}

// findingList collects findings up to maxFindingsPerKind per kind.
type findingList struct {
	list   []Finding
	counts map[findingKind]int
	order  []findingKind // kinds in the order first seen, for stable output
}

func (l *findingList) add(f Finding) {
	k := findingKind{f.Sheet, f.Code, f.Severity}
	if l.counts == nil {
		l.counts = map[findingKind]int{}
	}
	n := l.counts[k] + 1
	l.counts[k] = n
	if n == 1 {
		l.order = append(l.order, k)
	}
	if n <= maxFindingsPerKind {
		l.list = append(l.list, f)
	}
}

// done returns the findings, with a closing finding for every kind that
// was cut short.
func (l *findingList) done() []Finding {
	for _, k := range l.order {
		if n := l.counts[k]; n > maxFindingsPerKind {
			l.list = append(l.list, Finding{Severity: k.sev, Code: k.code, Sheet: k.sheet, Omitted: n - maxFindingsPerKind,
				Message: fmt.Sprintf("本表同类问题（%s）共 %d 处，只逐一列出了前 %d 处：请按这些问题的说明检查并改正整张表中的同类问题后重新校验",
					k.code, n, maxFindingsPerKind)})
		}
	}
	return l.list
}

// nameSheets gives every finding on a sheet of the contract the
// contract's name of the sheet, keeping the workbook's own name in
// WorkbookSheet (issue 10: findings are stored and queried by the
// contract's names). A finding already named so is left as it is. wb may
// be nil (a file refused whole): its sheets are then recognised by name
// as the reader recognises them.
func nameSheets(book *spec.Book, wb *Workbook, fs []Finding) {
	if len(fs) == 0 {
		return
	}
	canon := map[string]string{} // workbook name -> contract name
	if wb != nil {
		for key, t := range wb.Tables {
			if t == nil {
				continue
			}
			if s := book.Sheet(key); s != nil {
				canon[t.Name] = s.Name
			}
		}
	}
	for i := range fs {
		f := &fs[i]
		if f.Sheet == "" || f.WorkbookSheet != "" {
			continue
		}
		name, ok := canon[f.Sheet]
		if !ok && wb == nil {
			if key, found := rdSheetKey(book, f.Sheet); found {
				name, ok = book.Sheet(key).Name, true
			}
		}
		if ok {
			f.WorkbookSheet, f.Sheet = f.Sheet, name
		}
	}
}

// rdSheetKey is the key of the contract's sheet a workbook sheet name
// stands for, as Read matches it.
func rdSheetKey(book *spec.Book, name string) (string, bool) {
	for key, n := range rdMatchSheets(book, []string{name}) {
		if n == name {
			return key, true
		}
	}
	return "", false
}
