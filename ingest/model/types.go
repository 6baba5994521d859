package model

import (
	"math"
	"time"

	"ufa/internal/spec"
)

// Severity of a finding.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Finding is one problem, placed on its cell. Row and Column are zero/empty
// for a finding about a whole file or sheet.
type Finding struct {
	Severity Severity
	Code     string // E_FILE, E_REF, W_OUTLIER, ... (submission.md)
	// Sheet is the contract's name of the sheet (社会组织), whatever the
	// city called it: the name --json, the warehouse and the queries use.
	// "" for the file; a sheet the contract does not know keeps its own
	// name.
	Sheet string
	// WorkbookSheet is the sheet's name as it is in the city's workbook
	// (社会组织名录, 社会组织 with a trailing space): what a clerk sees on
	// the tab, for display and for placing marks in the annotated copy.
	// "" when the finding is not on a sheet of the workbook (the file, a
	// missing sheet).
	WorkbookSheet string
	Row           int    // 1-based Excel row, 0 when none
	Column        string // Excel column letter, "" when none
	Field         string // field key (credit_code), "" when none
	Value         string // the value as read (ID numbers in clear: mask on output)
	Message       string // Chinese: what is wrong and how to fix it
	// Omitted is set on the closing finding of a code whose listing was
	// cut short (MaxFindingsPerKind on one sheet): how many findings of
	// that code and sheet are not listed. Such a finding stands for them
	// in every count (Result.Errors, Warnings), so that counts are the
	// true totals.
	Omitted int
}

// SheetInWorkbook is the name of the finding's sheet as the workbook
// has it: WorkbookSheet, else Sheet.
func (f *Finding) SheetInWorkbook() string {
	if f.WorkbookSheet != "" {
		return f.WorkbookSheet
	}
	return f.Sheet
}

// Value is one typed cell. Text-like kinds (text, code18, id18, enum,
// month) use S; int, dec, bool (0/1) and date (days since 1970-01-01) use
// N, exact for every integer a workbook can hold.
type Value struct {
	S  string
	N  float64
	OK bool // false: the cell is empty or could not be read as its kind
}

// Int returns an int or bool value.
func (v Value) Int() int64 { return int64(v.N) }

// Bool returns a bool value.
func (v Value) Bool() bool { return v.OK && v.N != 0 }

// Date returns a date value at midnight UTC.
func (v Value) Date() time.Time { return time.Unix(int64(v.N)*86400, 0).UTC() }

// Days is a date's day number since 1970-01-01 (Arrow's date32).
func (v Value) Days() int32 { return int32(math.Round(v.N)) }

// DateValue makes a date Value.
func DateValue(t time.Time) Value {
	y, m, d := t.Date()
	return Value{N: float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400), OK: true}
}

// Row is one data row of a sheet: Values is indexed like the spec sheet's
// Columns.
type Row struct {
	Line   int // 1-based Excel row number
	Values []Value
}

// Table is one sheet as read.
type Table struct {
	Spec      *spec.Sheet
	Name      string // the sheet's name in the workbook
	HeaderRow int    // 1-based, 0 for item sheets
	// Cols holds, per spec column, the Excel column letter it was found in
	// ("" when absent). For item sheets, Lines holds the row of each item.
	Cols  []string
	Lines []int
	Rows  []Row
}

// Cell returns the place of a spec column in a row, for findings.
func (t *Table) Cell(col int) string {
	if t == nil || col < 0 || col >= len(t.Cols) {
		return ""
	}
	return t.Cols[col]
}

// Workbook is a whole submission as read: its tables by sheet key (a
// missing sheet is absent from the map), and the cover's decoded facts.
type Workbook struct {
	Path     string
	Date1904 bool
	Tables   map[string]*Table
	// From the cover, when valid: the city and the month (first day).
	City  *spec.City
	Month time.Time
	// FiledOn is the cover's 填报日期 (zero when absent or invalid).
	FiledOn time.Time
}

// Result is what validation produces for one file.
type Result struct {
	File     string
	Workbook *Workbook // nil when the file could not be read at all
	Findings []Finding
	// NameCity and NameMonth are, for a file that could not be read at
	// all (Workbook nil: an .xls, a damaged file), the city and month its
	// name states (沈阳市_2026-10.xls), nil and zero when it states none.
	// They let the attempt be attributed to its city (Attributed) instead
	// of the city looking as if it sent nothing.
	NameCity  *spec.City
	NameMonth time.Time
}

// Attributed is the city and month the attempt belongs to: the cover's
// when the workbook was read, else what the file name states (fromName).
// Either may be nil/zero.
func (r *Result) Attributed() (city *spec.City, month time.Time, fromName bool) {
	if r.Workbook != nil {
		return r.Workbook.City, r.Workbook.Month, false
	}
	return r.NameCity, r.NameMonth, r.NameCity != nil || !r.NameMonth.IsZero()
}

// Errors counts the errors: the true total, also when the listing of a
// code was cut short (a closing finding counts as the findings it stands
// for). This is the count the summary line, --json and the warehouse's
// error_count give.
func (r *Result) Errors() int { return r.count(Error) }

// Warnings counts the warnings, as Errors does.
func (r *Result) Warnings() int { return r.count(Warning) }

func (r *Result) count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			if f.Omitted > 0 {
				n += f.Omitted
			} else {
				n++
			}
		}
	}
	return n
}
