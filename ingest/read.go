package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/xuri/excelize/v2"

	"ufa/internal/spec"
	"ufa/internal/textnorm"
)

// Read reads the workbook at path against book (submission.md, "How a
// workbook is read"): it finds the sheets, their header rows and columns,
// and types every cell. Its findings are about single cells, columns and
// sheets; rules across cells are Check's.
//
// A file that cannot be read safely gives a nil Workbook and exactly one
// E_FILE finding: not an xlsx, damaged, encrypted, a renamed .xls/.xlsb/
// .ods, over the size limits, without worksheets, a read that panics
// inside excelize, and a read cancelled through ctx (the message then
// says to validate again).
//
// Sheets are streamed row by row; a row's values are cut from a few large
// []Value arrays per sheet, and no raw text is kept. An item sheet (封面,
// 工作机制) becomes a Table with one Row whose Values are indexed like the
// items, Lines holding each item's Excel row and Cols the column of its
// value. The safety limits are in read_file.go.
func Read(ctx context.Context, book *spec.Book, path string) (*Workbook, []Finding) {
	return rdRead(ctx, book, path, true)
}

// rdRead is Read; the fuzz test turns recovery off so that a panic shows
// with its stack instead of as an E_FILE.
func rdRead(ctx context.Context, book *spec.Book, path string, recovering bool) (wb *Workbook, findings []Finding) {
	if recovering {
		defer func() {
			// excelize is not hardened against every malformed package; a
			// panic there is a damaged file, not a crash of the validator.
			if p := recover(); p != nil {
				wb, findings = nil, rdFileFinding(rdMsgCrash)
			}
		}()
	}
	if ctx.Err() != nil {
		return nil, rdFileFinding(rdMsgCancelled)
	}
	msg, err := rdCheckFile(ctx, path)
	switch {
	case ctx.Err() != nil:
		return nil, rdFileFinding(rdMsgCancelled)
	case errors.Is(err, fs.ErrNotExist):
		return nil, rdFileFinding("文件不存在：请检查文件路径和文件名。")
	case errors.Is(err, fs.ErrPermission):
		return nil, rdFileFinding("没有读取该文件的权限：请检查文件权限，或将文件复制到有权限的目录后再校验。")
	case err != nil:
		return nil, rdFileFinding("文件无法读取（" + err.Error() + "）：请检查文件是否完整、是否被其他程序占用后重新校验。")
	case msg != "":
		return nil, rdFileFinding(msg)
	}
	x, err := excelize.OpenFile(path, rdOpenOptions())
	if err != nil {
		return nil, rdFileFinding(rdMsgCorrupt)
	}
	defer x.Close()
	r := &rdReader{ctx: ctx, book: book, x: x, aliases: rdAliasUnion(book)}
	wb, err = r.read(path)
	var fe rdFileError
	switch {
	case ctx.Err() != nil:
		return nil, rdFileFinding(rdMsgCancelled)
	case errors.As(err, &fe):
		return nil, rdFileFinding(string(fe))
	case err != nil:
		return nil, rdFileFinding(rdMsgCorrupt)
	}
	return wb, r.findings
}

// rdReader is one Read in progress.
type rdReader struct {
	ctx      context.Context
	book     *spec.Book
	x        *excelize.File
	wb       *Workbook
	aliases  map[string][]string // canonical column name -> aliases from every sheet
	findings []Finding
}

// rdFileError is a reason to give up on the whole file; its text is the
// E_FILE message.
type rdFileError string

func (e rdFileError) Error() string { return string(e) }

func (r *rdReader) read(path string) (*Workbook, error) {
	props, err := r.x.GetWorkbookProps()
	if err != nil {
		return nil, rdFileError(rdMsgCorrupt)
	}
	names := r.x.GetSheetList()
	if !r.anyReadable(names) {
		return nil, rdFileError(rdMsgNoSheets)
	}
	r.wb = &Workbook{
		Path:     path,
		Date1904: props.Date1904 != nil && *props.Date1904,
		Tables:   make(map[string]*Table, len(r.book.Sheets)),
	}
	found := rdMatchSheets(r.book, names)
	for _, s := range r.book.Sheets {
		name, ok := found[s.Key]
		if !ok {
			r.add(Finding{Severity: Error, Code: "E_SHEET_MISSING", Sheet: s.Name,
				Message: rdMissingSheetMessage(s)})
			continue
		}
		var t *Table
		if s.Items {
			t, err = r.readItems(s, name)
		} else {
			t, err = r.readTable(s, name)
		}
		if err != nil {
			if r.ctx.Err() != nil {
				return nil, r.ctx.Err()
			}
			var fe rdFileError
			if errors.As(err, &fe) {
				return nil, fe
			}
			return nil, rdFileError(fmt.Sprintf("工作表“%s”的内容已损坏，无法读取：请在 Excel 或 WPS 中打开后“另存为”新的 .xlsx 文件再校验。", name))
		}
		r.wb.Tables[s.Key] = t
	}
	return r.wb, nil
}

func (r *rdReader) add(f Finding) { r.findings = append(r.findings, f) }

// anyReadable tells whether at least one listed sheet has its part in the
// package (a workbook can list sheets whose parts are missing).
func (r *rdReader) anyReadable(names []string) bool {
	for _, n := range names {
		rows, err := r.x.Rows(n)
		if err == nil {
			_ = rows.Close()
			return true
		}
	}
	return false
}

func rdMissingSheetMessage(s *spec.Sheet) string {
	msg := fmt.Sprintf("缺少工作表“%s”：请使用最新模板，或将相应工作表命名为“%s”", s.Name, s.Name)
	if len(s.Aliases) > 0 {
		msg += "（也可用"
		for i, a := range s.Aliases {
			if i > 0 {
				msg += "、"
			}
			msg += "“" + a + "”"
		}
		msg += "）"
	}
	if s.Items {
		return msg + "；本表为“项目—内容”两列，每项一行。"
	}
	return msg + "；没有数据时保留表头即可。"
}

// rdMatchSheets finds, for each spec sheet, the workbook sheet it is
// read from, by name after textnorm.SheetName (which drops a leading
// ordinal such as 表1 or （一）) or by alias. When several workbook sheets
// match one spec sheet, the one named exactly as the template wins, then
// one whose normalised name is the canonical name, then an alias; among
// equals the first in the workbook's order (a clerk who keeps an old copy
// next to the new one usually has the current one first).
func rdMatchSheets(book *spec.Book, names []string) map[string]string {
	type cand struct {
		key   string
		exact string
		norm  string
		alias []string
	}
	cands := make([]cand, len(book.Sheets))
	for i, s := range book.Sheets {
		c := cand{key: s.Key, exact: s.Name, norm: textnorm.SheetName(s.Name)}
		for _, a := range s.Aliases {
			c.alias = append(c.alias, textnorm.SheetName(a))
		}
		cands[i] = c
	}
	rank := map[string]int{}
	out := map[string]string{}
	for _, n := range names {
		norm := textnorm.SheetName(n)
		for _, c := range cands {
			k := -1
			switch {
			case n == c.exact:
				k = 0
			case norm == c.norm:
				k = 1
			default:
				for _, a := range c.alias {
					if norm == a {
						k = 2
					}
				}
			}
			if k < 0 {
				continue
			}
			if best, ok := rank[c.key]; !ok || k < best {
				rank[c.key], out[c.key] = k, n
			}
		}
	}
	return out
}

// rdAliasUnion collects each column name's aliases over all sheets:
// submission.md says a column's aliases hold wherever the column appears.
func rdAliasUnion(book *spec.Book) map[string][]string {
	out := map[string][]string{}
	for _, s := range book.Sheets {
		for _, c := range s.Columns {
			out[c.Name] = append(out[c.Name], c.Aliases...)
		}
	}
	return out
}

// headerNames maps every accepted spelling of the sheet's columns, normalised
// with textnorm.Header, to the column's index. The first column claiming a
// spelling keeps it.
func (r *rdReader) headerNames(s *spec.Sheet) map[string]int {
	m := make(map[string]int, 3*len(s.Columns))
	for j, c := range s.Columns {
		for _, n := range append([]string{c.Name}, r.aliases[c.Name]...) {
			k := textnorm.Header(n)
			if _, dup := m[k]; !dup && k != "" {
				m[k] = j
			}
		}
	}
	return m
}

// eachRow streams the sheet's rows that have at least one cell, with
// their Excel row numbers, until fn returns false. excelize's iterator
// yields one step per Excel row, also for rows the XML skips (r= gaps), so
// counting steps gives the row number; a skipped or empty row costs no
// allocation.
func (r *rdReader) eachRow(sheet string, fn func(line int, cells []string) bool) error {
	rows, err := r.x.Rows(sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	line := 0
	for rows.Next() {
		line++
		if line&1023 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
		}
		cells, err := rows.Columns()
		if err != nil {
			return err
		}
		if len(cells) == 0 {
			continue
		}
		if !fn(line, cells) {
			return nil
		}
	}
	if err := rows.Error(); err != nil {
		return err
	}
	return r.ctx.Err()
}

// rdBlank tells an empty cell (nothing but white space).
func rdBlank(s string) bool { return s == "" || textnorm.Text(s) == "" }

func rdRowBlank(cells []string) bool {
	for _, c := range cells {
		if !rdBlank(c) {
			return false
		}
	}
	return true
}

// rdColumn is the letter of a 0-based column index.
func rdColumn(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return ""
	}
	return name
}
