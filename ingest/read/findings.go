package read

import (
	"ufa/ingest/model"
	"ufa/internal/spec"
)

// NameSheets gives every finding on a sheet of the contract the
// contract's name of the sheet, keeping the workbook's own name in
// WorkbookSheet (issue 10: findings are stored and queried by the
// contract's names). A finding already named so is left as it is. wb may
// be nil (a file refused whole): its sheets are then recognised by name
// as the reader recognises them.
func NameSheets(book *spec.Book, wb *model.Workbook, fs []model.Finding) {
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
