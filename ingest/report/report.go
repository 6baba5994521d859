package report

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"ufa/ingest/model"
	"ufa/internal/codes"
	"ufa/internal/spec"
	"ufa/internal/textnorm"
)

// This file writes validation results for people (a Chinese text report)
// and for programs (one JSON object per file, cli.md "validate --json").
// Both show findings in the same order, with ID numbers masked.

// placed is a finding with what the outputs need to show it: the spec
// sheet it belongs to (nil for the file or an unknown sheet), its rank in
// the spec's sheet order, and the Chinese name of its field.
type placed struct {
	model.Finding
	order     int // -1 for the file, index in book.Sheets, len(book.Sheets) for unknown sheets
	sheet     *spec.Sheet
	fieldName string // the column's or item's Chinese name, else the key
	shown     string // the value as it may be shown (ID numbers masked)
	message   string // the message with any ID number in it masked
	// contractSheet is the contract's name of the sheet (Finding.Sheet);
	// the embedded Finding's Sheet is the workbook's, for display.
	contractSheet string
}

// arrange resolves every finding of r and orders them by sheet (spec
// order, the file first), then row, then column. The sort is stable so
// findings on one cell keep the order the checks gave them.
func arrange(book *spec.Book, r *model.Result) []placed {
	out := make([]placed, 0, len(r.Findings))
	for _, f := range r.Findings {
		p := placed{Finding: f, order: -1, contractSheet: f.Sheet}
		if f.Sheet != "" {
			p.sheet, p.order = findSheet(book, r.Workbook, f.Sheet)
		}
		// People read the sheet's name as on its tab (the text report,
		// the annotated copy); programs get the contract's (ToJSON).
		p.Sheet = f.SheetInWorkbook()
		p.fieldName = f.Field
		var col *spec.Column
		if p.sheet != nil && f.Field != "" {
			col = p.sheet.Column(f.Field)
		}
		if col != nil {
			p.fieldName = col.Name
		}
		p.shown = shownValue(f, col)
		p.message = maskIDsIn(f.Message)
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.order != b.order {
			return a.order < b.order
		}
		if a.Sheet != b.Sheet { // two unknown sheets: keep them apart
			return a.Sheet < b.Sheet
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return columnLess(a.Column, b.Column)
	})
	return out
}

// findSheet returns the spec sheet a workbook sheet name stands for and
// its rank: first by the tables the reader found (the name as in the
// workbook), then by the spec's names and aliases (a missing sheet's
// finding carries the canonical name).
func findSheet(book *spec.Book, wb *model.Workbook, name string) (*spec.Sheet, int) {
	var found *spec.Sheet
	if wb != nil {
		for _, t := range wb.Tables {
			if t != nil && t.Name == name && t.Spec != nil {
				found = t.Spec
				break
			}
		}
	}
	if found == nil {
		norm := textnorm.SheetName(name)
	search:
		for _, s := range book.Sheets {
			for _, n := range append([]string{s.Name}, s.Aliases...) {
				if textnorm.SheetName(n) == norm {
					found = s
					break search
				}
			}
		}
	}
	for i, s := range book.Sheets {
		if s == found || (found != nil && s.Key == found.Key) {
			return s, i
		}
	}
	return nil, len(book.Sheets)
}

// columnLess orders Excel column letters (B before AA).
func columnLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// shownValue is the value as output may show it: submission.md wants ID
// numbers masked in machine-readable output; we mask them everywhere, so
// that a report pasted into a chat or an email leaks no one's number.
func shownValue(f model.Finding, col *spec.Column) string {
	if f.Value == "" {
		return ""
	}
	if f.Code == "E_ID_NUMBER" || (col != nil && col.Kind == spec.ID18) || f.Field == "id_number" {
		return codes.MaskID(f.Value)
	}
	return maskIDsIn(f.Value)
}

// idLike finds 18-character runs that may be resident ID numbers inside
// free text (a duplicate pair, a message quoting the number).
var idLike = regexp.MustCompile(`[0-9]{17}[0-9Xx]`)

// maskIDsIn masks every ID number inside s. A run counts as an ID number
// when it stands alone (no letter or digit glued to it) and carries a
// real birth date, so credit codes and long counts stay readable.
func maskIDsIn(s string) string {
	locs := idLike.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		if (l[0] > 0 && isAlnum(s[l[0]-1])) || (l[1] < len(s) && isAlnum(s[l[1]])) {
			continue
		}
		if _, ok := codes.IDBirth(strings.ToUpper(s[l[0]:l[1]])); !ok {
			continue
		}
		b.WriteString(s[last:l[0]])
		b.WriteString(codes.MaskID(s[l[0]:l[1]]))
		last = l[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// severityName is the Chinese word for a severity.
func severityName(s model.Severity) string {
	if s == model.Error {
		return "错误"
	}
	return "警告"
}

// place is where a finding is, as a city clerk reads it: 社会组织!B7, a
// whole row, a whole column, a sheet, or the file.
func (p placed) place() string {
	switch {
	case p.Sheet == "":
		return "整个文件"
	case p.Row > 0 && p.Column != "":
		return p.Sheet + "!" + p.Column + strconv.Itoa(p.Row)
	case p.Row > 0:
		return p.Sheet + "!第" + strconv.Itoa(p.Row) + "行"
	case p.Column != "":
		return p.Sheet + "!" + p.Column + "列"
	default:
		return p.Sheet
	}
}

// coverFacts returns the city and month the workbook's cover gives, for
// headings and JSON ("" when unknown).
func coverFacts(r *model.Result) (city, cityCode, month string) {
	if r.Workbook == nil {
		return "", "", ""
	}
	if c := r.Workbook.City; c != nil {
		city, cityCode = c.Name, c.Code
	}
	if !r.Workbook.Month.IsZero() {
		month = r.Workbook.Month.Format("2006-01")
	}
	return city, cityCode, month
}

// Verdict is the summary line of one file: its counts and whether it may
// be submitted.
func Verdict(r *model.Result) string {
	s := fmt.Sprintf("%d 个错误，%d 个警告；", r.Errors(), r.Warnings())
	if r.Errors() == 0 {
		return s + "可以上报"
	}
	return s + "不能上报：请改正全部错误后重新校验"
}

// WriteReport writes the Chinese report of one file: a heading with the
// file, city and month, the findings grouped by sheet in the spec's sheet
// order, and the verdict. Plain text without colours or box drawing, so
// that it reads the same in a Windows console, a log file and an email.
func WriteReport(w io.Writer, book *spec.Book, r *model.Result) error {
	ew := &errWriter{w: w}
	city, _, month := coverFacts(r)
	if city == "" {
		city = "未能识别"
	}
	if month == "" {
		month = "未能识别"
	}
	ew.printf("文件：%s（填报单位：%s，报送月份：%s）\n", inline(r.File, 0), city, month)
	ps := arrange(book, r)
	if len(ps) == 0 {
		ew.printf("  未发现问题。\n")
	}
	for i, p := range ps {
		if i == 0 || p.Sheet != ps[i-1].Sheet {
			group := p.Sheet
			if group == "" {
				group = "整个文件"
			}
			n := 0
			for _, q := range ps[i:] {
				if q.Sheet != p.Sheet {
					break
				}
				n++
			}
			ew.printf("【%s】%d 条\n", inline(group, 0), n)
		}
		ew.printf("  %s %s %s", severityName(p.Severity), inline(p.Code, 0), inline(p.place(), 0))
		if p.fieldName != "" {
			ew.printf(" %s", inline(p.fieldName, 0))
		}
		if p.shown != "" {
			ew.printf(" 值“%s”", inline(p.shown, maxShown))
		}
		ew.printf("：%s\n", inline(p.message, 0))
	}
	ew.printf("%s\n", Verdict(r))
	return ew.err
}

// maxShown is how many characters of a value the text report shows: a
// cell can hold 32,767, a line of the report should not.
const maxShown = 60

// inline makes text from a workbook safe for one line of a terminal:
// line breaks and tabs become spaces and other control characters
// (including the escape that starts terminal control sequences) are
// dropped, so a hostile cell cannot rewrite the screen. max > 0 cuts the
// text to that many characters, marking the cut with "…".
func inline(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			r = ' '
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0x2028 || r == 0x2029:
			continue
		}
		if max > 0 && n == max {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// WriteTotal writes the closing line for several files.
func WriteTotal(w io.Writer, rs []*model.Result) error {
	ok, errs, warns := 0, 0, 0
	for _, r := range rs {
		if r.Errors() == 0 {
			ok++
		}
		errs += r.Errors()
		warns += r.Warnings()
	}
	_, err := fmt.Fprintf(w, "共 %d 个文件：%d 个可以上报，%d 个不能上报；合计 %d 个错误，%d 个警告\n",
		len(rs), ok, len(rs)-ok, errs, warns)
	return err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}

// JSONResult is one line of `validate --json` (cli.md): keys in this
// order; city, city_code and month null when the cover does not give them.
type JSONResult struct {
	File     string        `json:"file"`
	City     *string       `json:"city"`
	CityCode *string       `json:"city_code"`
	Month    *string       `json:"month"`
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
	Findings []JSONFinding `json:"findings"`
}

// JSONFinding is one finding in JSON; row and column are null for a
// finding about a whole file or sheet, value has ID numbers masked.
type JSONFinding struct {
	Severity model.Severity `json:"severity"`
	Code     string         `json:"code"`
	Sheet    string         `json:"sheet"`
	// WorkbookSheet is the sheet's name in the city's workbook (null for
	// the file or a missing sheet); sheet is the contract's name.
	WorkbookSheet *string `json:"workbook_sheet"`
	Row           *int    `json:"row"`
	Column        *string `json:"column"`
	Field         string  `json:"field"`
	Value         string  `json:"value"`
	Message       string  `json:"message"`
}

// ToJSON builds the JSON form of a result.
func ToJSON(book *spec.Book, r *model.Result) JSONResult {
	city, code, month := coverFacts(r)
	out := JSONResult{
		File:     r.File,
		City:     nullable(city),
		CityCode: nullable(code),
		Month:    nullable(month),
		Errors:   r.Errors(),
		Warnings: r.Warnings(),
		Findings: []JSONFinding{}, // [] rather than null for a clean file
	}
	for _, p := range arrange(book, r) {
		jf := JSONFinding{
			Severity: p.Severity, Code: p.Code, Sheet: p.contractSheet, WorkbookSheet: nullable(p.WorkbookSheet),
			Column: nullable(p.Column), Field: p.Field, Value: p.shown, Message: p.message,
		}
		if p.Row > 0 {
			row := p.Row
			jf.Row = &row
		}
		out.Findings = append(out.Findings, jf)
	}
	return out
}

// WriteJSON writes the result as one JSON object on one line.
func WriteJSON(w io.Writer, book *spec.Book, r *model.Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // messages quote <, > and & as people wrote them
	return enc.Encode(ToJSON(book, r))
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
