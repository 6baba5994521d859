package read

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/xuri/excelize/v2"

	"ufa/ingest/model"
	"ufa/internal/spec"
	"ufa/internal/textnorm"
	"ufa/internal/xlsxscan"
)

// Read reads the workbook at path against book (submission.md, "How a
// workbook is read"): it finds the sheets, their header rows and columns,
// and types every cell. Its findings are about single cells, columns and
// sheets; rules across cells are Check's.
//
// A file that cannot be read safely gives a nil Workbook and exactly one
// E_FILE finding: not an xlsx, damaged, encrypted, a renamed .xls/.xlsb/
// .ods, over the size limits, without worksheets, a read that panics,
// and a read cancelled through ctx (the message then says to validate
// again).
//
// Cells are read by the byte-level scanner of internal/xlsxscan; a
// workbook using something it does not read (xlsxscan.ErrUnsupported) is
// read again, whole, with excelize, which gives the same cells
// (read_diff_test.go holds both paths to the same tables and findings).
// Sheets are streamed row by row; a row's values are cut from a few large
// []Value arrays per sheet, and no raw text is kept. An item sheet (封面,
// 工作机制) becomes a Table with one Row whose Values are indexed like the
// items, Lines holding each item's Excel row and Cols the column of its
// value. The safety limits are in read_file.go.
func Read(ctx context.Context, book *spec.Book, path string) (*model.Workbook, []model.Finding) {
	return rdRead(ctx, book, path, true)
}

// rdRead is Read; the fuzz test turns recovery off so that a panic shows
// with its stack instead of as an E_FILE.
func rdRead(ctx context.Context, book *spec.Book, path string, recovering bool) (*model.Workbook, []model.Finding) {
	return rdReadWith(ctx, book, path, rdMode{recovering: recovering})
}

// rdMode chooses how rdReadWith reads.
type rdMode struct {
	recovering bool // a panic becomes an E_FILE (off in the fuzz tests)
	// excelizeOnly reads with excelize as the fallback does, skipping the
	// fast path: the differential test compares the two.
	excelizeOnly bool
}

func rdReadWith(ctx context.Context, book *spec.Book, path string, mode rdMode) (wb *model.Workbook, findings []model.Finding) {
	// Runs after the recovery below has set the findings of a panic.
	defer func() { NameSheets(book, wb, findings) }()
	if mode.recovering {
		defer func() {
			// Neither reader should panic, but excelize is not hardened
			// against every malformed package; a panic is a damaged file,
			// not a crash of the validator.
			if p := recover(); p != nil {
				wb, findings = nil, rdFileFinding(rdMsgCrash)
			}
		}()
	}
	if ctx.Err() != nil {
		return nil, rdFileFinding(rdMsgCancelled)
	}
	// Before anything opens the file: a FIFO or a device would block or
	// never end, and a file of another kind is named by its extension.
	if msg := rdCheckKind(path); msg != "" {
		return nil, rdFileFinding(msg)
	}
	// The fast path checks the worksheets it reads itself (CRC at their
	// end, well-formedness throughout), so rdCheckFile only looks at their
	// start then; excelize ignores errors in what it reads, so before it
	// reads, every part is checked whole.
	if fs := rdCheck(ctx, path, mode.excelizeOnly); fs != nil {
		return nil, fs
	}
	if !mode.excelizeOnly {
		wb, findings, err := rdReadFast(ctx, book, path)
		switch {
		case ctx.Err() != nil:
			return nil, rdFileFinding(rdMsgCancelled)
		case err == nil:
			return wb, findings
		case errors.Is(err, xlsxscan.ErrOrder):
			return nil, rdOrderFinding(err)
		case !rdFallback(ctx, err):
			return nil, rdFileFinding(rdFastMessage(ctx, path, err))
		}
		if fs := rdCheck(ctx, path, true); fs != nil {
			return nil, fs
		}
	}
	return rdReadExcelize(ctx, book, path)
}

// rdCheck runs rdCheckFile and turns what it finds into the E_FILE
// finding; nil when the file may be read.
func rdCheck(ctx context.Context, path string, whole bool) []model.Finding {
	msg, err := rdCheckFile(ctx, path, whole)
	switch {
	case ctx.Err() != nil:
		return rdFileFinding(rdMsgCancelled)
	case errors.Is(err, fs.ErrNotExist):
		return rdFileFinding("文件不存在：请检查文件路径和文件名。")
	case errors.Is(err, fs.ErrPermission):
		return rdFileFinding("没有读取该文件的权限：请检查文件权限，或将文件复制到有权限的目录后再校验。")
	case err != nil:
		return rdFileFinding("文件无法读取（" + err.Error() + "）：请检查文件是否完整、是否被其他程序占用后重新校验。")
	case msg != "":
		return rdFileFinding(msg)
	}
	return nil
}

// rdLimits are the fast path's limits, the same as rdCheckFile's.
func rdLimits() xlsxscan.Limits {
	return xlsxscan.Limits{MaxTotal: rdUnzipSizeLimit, MaxEntries: rdMaxEntries, MaxSheets: rdMaxSheets}
}

// rdReadFast reads with xlsxscan. Its error is for rdFallback and
// rdFastMessage.
func rdReadFast(ctx context.Context, book *spec.Book, path string) (*model.Workbook, []model.Finding, error) {
	bk, err := xlsxscan.OpenFile(ctx, path, rdLimits())
	if err != nil {
		return nil, nil, err
	}
	defer bk.Close()
	r := &rdReader{ctx: ctx, book: book, fast: bk, aliases: rdAliasUnion(book)}
	wb, err := r.read(path, bk.Sheets(), bk.Date1904())
	if err != nil {
		return nil, nil, err
	}
	return wb, r.findings.Done(), nil
}

// rdFallback tells an error of the fast path after which excelize reads
// the file: a feature the scanner does not read. Damage and the limits
// are final: excelize would only read less of a damaged file, with
// weaker limits.
func rdFallback(ctx context.Context, err error) bool {
	return err != nil && ctx.Err() == nil && errors.Is(err, xlsxscan.ErrUnsupported) &&
		!errors.Is(err, xlsxscan.ErrMalformed)
}

// rdFastMessage is the E_FILE message for an error of the fast path that
// is not a fallback.
func rdFastMessage(ctx context.Context, path string, err error) string {
	var fe rdFileError
	var se *rdSheetError
	switch {
	case ctx.Err() != nil:
		return rdMsgCancelled
	case errors.As(err, &fe):
		return string(fe)
	case errors.Is(err, xlsxscan.ErrDepth):
		return rdMsgDepth
	case errors.Is(err, xlsxscan.ErrLimit):
		return fmt.Sprintf(rdMsgBomb, "单个部件或单行过大")
	case errors.Is(err, xlsxscan.ErrMalformed):
		// The whole check says what is wrong where it can (a character
		// XML does not allow, a damaged part); a fault it does not look
		// for (a truncated or mismatched element) is damage of the sheet.
		if msg, cerr := rdCheckFile(ctx, path, true); cerr == nil && msg != "" {
			return msg
		}
		if ctx.Err() != nil {
			return rdMsgCancelled
		}
	}
	if errors.As(err, &se) {
		return rdMsgSheet(se.sheet)
	}
	return rdMsgCorrupt
}

// rdReadExcelize reads with excelize: the fallback, and the reference
// of the differential test.
func rdReadExcelize(ctx context.Context, book *spec.Book, path string) (*model.Workbook, []model.Finding) {
	last, fs := rdCheckSheets(ctx, book, path)
	if fs != nil {
		return nil, fs
	}
	tmp, err := newTempDir()
	if err != nil {
		return nil, rdFileFinding("无法创建临时文件夹（" + err.Error() + "）：请检查系统临时文件夹的空间和权限后重新校验。")
	}
	defer os.RemoveAll(tmp)
	opts := rdOpenOptions()
	opts.TmpDir = tmp
	x, err := excelize.OpenFile(path, opts)
	if err != nil {
		return nil, rdFileFinding(rdMsgCorrupt)
	}
	defer x.Close()
	props, err := x.GetWorkbookProps()
	if err != nil {
		return nil, rdFileFinding(rdMsgCorrupt)
	}
	names := x.GetSheetList()
	sheets := make([]xlsxscan.SheetInfo, len(names))
	for i, n := range names {
		sheets[i].Name = n
		// A workbook can list sheets whose parts are missing; only
		// whether there is a part matters here.
		if rows, err := x.Rows(n); err == nil {
			_ = rows.Close()
			sheets[i].Part = n
		}
	}
	r := &rdReader{ctx: ctx, book: book, x: x, aliases: rdAliasUnion(book), lastRow: last}
	wb, err := r.read(path, sheets, props.Date1904 != nil && *props.Date1904)
	var fe rdFileError
	var se *rdSheetError
	switch {
	case ctx.Err() != nil:
		return nil, rdFileFinding(rdMsgCancelled)
	case errors.As(err, &fe):
		return nil, rdFileFinding(string(fe))
	case errors.As(err, &se):
		return nil, rdFileFinding(rdMsgSheet(se.sheet))
	case err != nil:
		return nil, rdFileFinding(rdMsgCorrupt)
	}
	return wb, r.findings.Done()
}

// rdReader is one Read in progress, on one of the two paths.
type rdReader struct {
	ctx      context.Context
	book     *spec.Book
	fast     *xlsxscan.Book // the fast path, or
	x        *excelize.File // excelize
	wb       *model.Workbook
	aliases  map[string][]string // canonical column name -> aliases from every sheet
	findings model.List
	// lastRow is, on excelize, each sheet's last row with a value
	// (rdCheckSheets): the iterator stops there, so that rows that are
	// only styled, down to row 1,048,576, are never decoded.
	lastRow map[string]int
}

// rdFileError is a reason to give up on the whole file; its text is the
// E_FILE message.
type rdFileError string

func (e rdFileError) Error() string { return string(e) }

// rdSheetError is a sheet that could not be read.
type rdSheetError struct {
	sheet string
	err   error
}

func (e *rdSheetError) Error() string { return fmt.Sprintf("sheet %q: %v", e.sheet, e.err) }
func (e *rdSheetError) Unwrap() error { return e.err }

func rdMsgSheet(name string) string {
	return fmt.Sprintf("工作表“%s”的内容已损坏，无法读取：请在 Excel 或 WPS 中打开后“另存为”新的 .xlsx 文件再校验。", name)
}

// read reads the workbook's sheets (in the workbook's order, Part ""
// when a listed sheet has no part in the package).
func (r *rdReader) read(path string, sheets []xlsxscan.SheetInfo, date1904 bool) (*model.Workbook, error) {
	names := make([]string, len(sheets))
	readable := false
	for i, s := range sheets {
		names[i] = s.Name
		readable = readable || s.Part != ""
	}
	if !readable {
		return nil, rdFileError(rdMsgNoSheets)
	}
	r.wb = &model.Workbook{
		Path:     path,
		Date1904: date1904,
		Tables:   make(map[string]*model.Table, len(r.book.Sheets)),
	}
	found := rdMatchSheets(r.book, names)
	for _, s := range r.book.Sheets {
		name, ok := found[s.Key]
		if !ok {
			r.add(model.Finding{Severity: model.Error, Code: "E_SHEET_MISSING", Sheet: s.Name,
				Message: rdMissingSheetMessage(s)})
			continue
		}
		var (
			t   *model.Table
			err error
		)
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
			return nil, &rdSheetError{sheet: name, err: err}
		}
		r.wb.Tables[s.Key] = t
	}
	return r.wb, nil
}

func (r *rdReader) add(f model.Finding) { r.findings.Add(f) }

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
// their Excel row numbers, until fn returns false. cells is valid only
// until fn returns (the fast path reuses it): keep a copy of the slice;
// its strings may be kept.
func (r *rdReader) eachRow(sheet string, fn func(line int, cells []string) bool) error {
	if r.fast != nil {
		return r.fastRows(sheet, fn)
	}
	return r.excelizeRows(sheet, fn)
}

// excelizeRows is eachRow on excelize. Its iterator yields one step per
// Excel row, also for rows the XML skips (r= gaps), so counting steps
// gives the row number; a skipped or empty row costs no allocation.
func (r *rdReader) excelizeRows(sheet string, fn func(line int, cells []string) bool) error {
	rows, err := r.x.Rows(sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	line := 0
	last, cut := r.lastRow[sheet]
	for rows.Next() {
		line++
		if cut && line > last {
			break
		}
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
