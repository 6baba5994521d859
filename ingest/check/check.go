package check

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"ufa/ingest/model"
	"ufa/ingest/read"
	"ufa/internal/codes"
	"ufa/internal/spec"
	"ufa/internal/textnorm"
)

// Options are what the command line says the workbook must be: --city and
// --month, "" when not given.
type Options struct {
	City  string // a city's name (沈阳市), short name (沈阳) or code (210100)
	Month string // 2026-10, 2026/10, 2026.10, 2026年10月 or 202610
}

// Resolve parses the options, so that a command can refuse a bad --city or
// --month with a usage error before reading any file. A nil city and a zero
// month mean "not given".
func (o Options) Resolve(book *spec.Book) (*spec.City, time.Time, error) {
	var city *spec.City
	var month time.Time
	if s := textnorm.Code(o.City); s != "" {
		if city = chkCity(book, s); city == nil {
			return nil, time.Time{}, fmt.Errorf("城市 %q 不是辽宁省14个市之一（可写市名、简称或6位代码，如 沈阳市、沈阳、210100）", o.City)
		}
	}
	if s := textnorm.Text(o.Month); s != "" {
		m, ok := chkParseMonth(s)
		if !ok {
			return nil, time.Time{}, fmt.Errorf("月份 %q 无法识别（应写作 2026-10）", o.Month)
		}
		month = m
	}
	return city, month, nil
}

// Thresholds of the W_OUTLIER warnings (submission.md, Findings).
const (
	ckOutlierStaff     = 10000
	ckOutlierHeadcount = 5000
)

// Check applies every rule that needs more than one cell: the cover
// against the command line and the file name, uniqueness, references
// between sheets, consistency within a row, dates against the reporting
// month, and the warnings. It relies on the reader's contract: a cell the
// reader found wrong has Value.OK=false and is never looked at again here,
// so one fault gives one finding. Check also records the cover's city,
// month and filing date on wb when they can be read.
func Check(book *spec.Book, wb *model.Workbook, opt Options) []model.Finding {
	if wb == nil {
		return nil
	}
	r := &checkRun{book: book, wb: wb}
	r.cover(opt)
	r.organizations()
	r.representatives()
	r.activities()
	r.participants()
	r.dated(spec.SheetSuggestions, "建言人")
	r.dated(spec.SheetNominations, "被举荐人")
	fs := r.out.Done()
	read.NameSheets(book, wb, fs)
	return fs
}

// checkRun holds one Check's state. city and month are the ones the rules
// may use: nil/zero when unknown or disputed (E_COVER), in which case the
// rules that need them are skipped rather than producing a finding per row
// from a single wrong cover cell.
type checkRun struct {
	book     *spec.Book
	wb       *model.Workbook
	out      model.List
	city     *spec.City
	month    time.Time // first day
	monthEnd time.Time // last day
}

// table returns a sheet as read, or nil when it is missing (the reader has
// said E_SHEET_MISSING, so rules that need it are skipped).
func (r *checkRun) table(key string) *model.Table {
	t := r.wb.Tables[key]
	if t == nil || t.Spec == nil {
		return nil
	}
	return t
}

// ckCell is one place of a table: a row and a spec column index.
type ckCell struct {
	t   *model.Table
	row *model.Row
	col int
}

func (c ckCell) v() model.Value {
	if c.row == nil || c.col < 0 || c.col >= len(c.row.Values) {
		return model.Value{}
	}
	return c.row.Values[c.col]
}

func (c ckCell) ok() bool { return c.v().OK }

// shown is the value as read, for Finding.Value: the reader's text when it
// kept one, else the typed value written back as the clerk would type it.
func (c ckCell) shown() string {
	v := c.v()
	if v.S != "" || !v.OK || c.col < 0 || c.col >= len(c.t.Spec.Columns) {
		return v.S
	}
	switch c.t.Spec.Columns[c.col].Kind {
	case spec.Date:
		return v.Date().Format("2006-01-02")
	case spec.Bool:
		if v.Bool() {
			return "是"
		}
		return "否"
	case spec.Int:
		return strconv.FormatInt(v.Int(), 10)
	case spec.Dec:
		return strconv.FormatFloat(v.N, 'f', -1, 64)
	}
	return v.S
}

func (r *checkRun) add(sev model.Severity, code string, c ckCell, msg string) {
	f := model.Finding{Severity: sev, Code: code, Sheet: c.t.Name, Message: msg}
	if c.row != nil {
		f.Row = c.row.Line
	}
	if c.col >= 0 && c.col < len(c.t.Spec.Columns) {
		f.Column = c.t.Cell(c.col)
		f.Field = c.t.Spec.Columns[c.col].Key
		f.Value = c.shown()
	}
	r.out.Add(f)
}

func (r *checkRun) errorf(code string, c ckCell, format string, a ...any) {
	r.add(model.Error, code, c, fmt.Sprintf(format, a...))
}

func (r *checkRun) warnf(code string, c ckCell, format string, a ...any) {
	r.add(model.Warning, code, c, fmt.Sprintf(format, a...))
}

// ckCols looks up spec column indexes by key, -1 for an unknown key.
func ckCols(t *model.Table, keys ...string) []int {
	out := make([]int, len(keys))
	for i, k := range keys {
		out[i] = t.Spec.ColumnIndex(k)
	}
	return out
}

// sheetLabel is the sheet's name as the clerk sees it in the workbook.
func (r *checkRun) sheetLabel(key string) string {
	if t := r.table(key); t != nil && t.Name != "" {
		return t.Name
	}
	if s := r.book.Sheet(key); s != nil {
		return s.Name
	}
	return key
}

// ckKeySet is the set of a column's values as read, each with the first row
// holding it. Cells with a reader error are included, so that a reference
// to a value which is itself wrong does not add an E_REF to the error the
// reader already reported (one fault, one finding).
func ckKeySet(t *model.Table, col int, norm func(string) string) map[string]int {
	if t == nil || col < 0 {
		return map[string]int{}
	}
	set := make(map[string]int, len(t.Rows))
	for i := range t.Rows {
		c := ckCell{t, &t.Rows[i], col}
		k := norm(c.shown())
		if k == "" {
			continue
		}
		if _, seen := set[k]; !seen {
			set[k] = t.Rows[i].Line
		}
	}
	return set
}

// unique reports E_DUPLICATE on each later row repeating a key. Cells the
// reader refused are skipped: their value is already an error.
func (r *checkRun) unique(t *model.Table, col int, what string, show func(string) string, fix string) map[string]int {
	first := make(map[string]int, len(t.Rows))
	for i := range t.Rows {
		c := ckCell{t, &t.Rows[i], col}
		if !c.ok() {
			continue
		}
		k := c.v().S
		if k == "" {
			continue
		}
		if line, seen := first[k]; seen {
			r.errorf("E_DUPLICATE", c, "%s %s 与第 %d 行重复：%s", what, show(k), line, fix)
			continue
		}
		first[k] = t.Rows[i].Line
	}
	return first
}

// inMonth checks that a date lies in the reporting month (E_RANGE).
func (r *checkRun) inMonth(c ckCell, what, fix string) {
	if r.month.IsZero() || !c.ok() {
		return
	}
	d := c.v().Date()
	if d.Before(r.month) || d.After(r.monthEnd) {
		r.errorf("E_RANGE", c, "%s %s 不在报送月份 %s 内：本月报表只填本月的情况，%s",
			what, d.Format("2006-01-02"), r.month.Format("2006-01"), fix)
	}
}

// notAfterMonth checks that a date is not after the month's last day.
func (r *checkRun) notAfterMonth(c ckCell, what, fix string) {
	if r.month.IsZero() || !c.ok() {
		return
	}
	if d := c.v().Date(); d.After(r.monthEnd) {
		r.errorf("E_RANGE", c, "%s %s 晚于报送月份最后一天 %s：%s",
			what, d.Format("2006-01-02"), r.monthEnd.Format("2006-01-02"), fix)
	}
}

// ref reports E_REF when a cell's value is not among keys. A missing target
// sheet (keys nil) has been reported by the reader already.
// The message is made only when needed: most references are fine.
func (r *checkRun) ref(c ckCell, keys map[string]int, norm func(string) string, msg func() string) bool {
	if keys == nil || !c.ok() {
		return true
	}
	k := norm(c.v().S)
	if k == "" {
		return true
	}
	if _, found := keys[k]; found {
		return true
	}
	r.errorf("E_REF", c, "%s", msg())
	return false
}

// The two normalisations keys are compared under: codes and ID numbers are
// upper-cased without spaces (a lower-case x in an ID is the same person);
// activity numbers as text.
func ckNormCode(s string) string { return textnorm.Code(s) }
func ckNormText(s string) string { return textnorm.Text(s) }

func ckMaskID(s string) string { return codes.MaskID(s) }
func ckAsIs(s string) string   { return s }

// ckMonthBounds returns the first and last day of a month.
func ckMonthBounds(m time.Time) (time.Time, time.Time) {
	first := time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC)
	return first, first.AddDate(0, 1, -1)
}

// ckExamples lists the first n items for a message, with an ellipsis.
func ckExamples(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, "、")
	}
	return strings.Join(items[:n], "、") + "等"
}
