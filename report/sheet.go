package report

import (
	"fmt"
	"math"
	"time"

	"github.com/xuri/excelize/v2"

	"ufa/internal/textgrid"
)

// Style kinds of a cell.
const (
	kindText    = "text"
	kindDash    = "dash"
	kindInt     = "int"
	kindCount   = "count" // a whole number centred: ranks, attempts
	kindDec2    = "dec2"
	kindPercent = "percent"
	kindCities  = "cities" // a count of cities: 12个市
	kindDate    = "date"
)

// styles are the workbook's cell styles, made once: for each kind a
// normal and a bold (province row) variant, plus title, note and header.
type styles struct {
	title, note, header int
	body                map[string][2]int
}

const fontName = "宋体"

func newStyles(f *excelize.File) (*styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
	}
	st := &styles{body: map[string][2]int{}}
	var err error
	if st.title, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Family: fontName, Size: 16, Bold: true},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
	}); err != nil {
		return nil, err
	}
	if st.note, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Family: fontName, Size: 9, Color: "404040"},
		Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true},
	}); err != nil {
		return nil, err
	}
	if st.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Family: fontName, Size: 10, Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Border:    border,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	}); err != nil {
		return nil, err
	}
	formats := map[string]string{
		kindText: "@", kindDash: "@", kindInt: "0", kindCount: "0", kindDec2: "0.00", kindPercent: "0.0%",
		kindCities: `0"个市"`, kindDate: "yyyy-mm-dd",
	}
	for _, k := range []string{kindText, kindDash, kindInt, kindCount, kindDec2, kindPercent, kindCities, kindDate} {
		var pair [2]int
		for b := range 2 {
			align := "right"
			if k == kindText || k == kindDash || k == kindDate || k == kindCount || k == kindCities {
				align = "center"
			}
			fmtText := formats[k]
			s := &excelize.Style{
				Font:         &excelize.Font{Family: fontName, Size: 10, Bold: b == 1},
				Border:       border,
				Alignment:    &excelize.Alignment{Horizontal: align, Vertical: "center"},
				CustomNumFmt: &fmtText,
			}
			if b == 1 {
				s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}
			}
			if pair[b], err = f.NewStyle(s); err != nil {
				return nil, err
			}
		}
		st.body[k] = pair
	}
	return st, nil
}

// sheet writes one sheet, remembering what the column widths and row
// heights need, and the first error.
type sheet struct {
	f      *excelize.File
	st     *styles
	name   string
	ncols  int
	widths map[int]int // column → display width of its widest body cell
	heads  []headAt
	notes  []string
	err    error
}

// headAt is a header cell spanning span columns.
type headAt struct {
	col, row, span, width int
}

func newSheet(f *excelize.File, st *styles, name string) *sheet {
	return &sheet{f: f, st: st, name: name, widths: map[int]int{}}
}

func ref(col, row int) string {
	r, _ := excelize.CoordinatesToCellName(col, row)
	return r
}

func (s *sheet) fail(err error) {
	if err != nil && s.err == nil {
		s.err = err
	}
}

// title writes the title over the first ncols columns of row 1.
func (s *sheet) title(t string, ncols int) {
	s.ncols = ncols
	s.fail(s.f.SetCellStr(s.name, "A1", t))
	s.fail(s.f.SetCellStyle(s.name, "A1", ref(ncols, 1), s.st.title))
	s.fail(s.f.MergeCell(s.name, "A1", ref(ncols, 1)))
	s.fail(s.f.SetRowHeight(s.name, 1, 32))
}

// note writes a remark over row 2 (its height is set by finish).
func (s *sheet) note(t string, ncols int) {
	s.fail(s.f.SetCellStr(s.name, "A2", t))
	s.fail(s.f.SetCellStyle(s.name, "A2", ref(ncols, 2), s.st.note))
	s.fail(s.f.MergeCell(s.name, "A2", ref(ncols, 2)))
	s.notes = append(s.notes, t)
}

// header writes a header cell (always text) spanning span columns and
// rows rows (merged when more than one cell).
func (s *sheet) header(col, row, span, rows int, t string) {
	last := ref(col+span-1, row+rows-1)
	s.fail(s.f.SetCellStr(s.name, ref(col, row), t))
	s.fail(s.f.SetCellStyle(s.name, ref(col, row), last, s.st.header))
	if span > 1 || rows > 1 {
		s.fail(s.f.MergeCell(s.name, ref(col, row), last))
	}
	s.heads = append(s.heads, headAt{col, row, span, textgrid.Width(t)})
}

// put writes a body cell: a string always as a string cell (never a
// formula, whatever it starts with), numbers and dates as such.
func (s *sheet) put(col, row int, c cell, bold bool) {
	at := ref(col, row)
	switch v := c.v.(type) {
	case string:
		s.fail(s.f.SetCellStr(s.name, at, v))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			s.fail(s.f.SetCellStr(s.name, at, fmt.Sprint(v)))
		} else {
			s.fail(s.f.SetCellFloat(s.name, at, v, -1, 64))
		}
	case int64:
		s.fail(s.f.SetCellInt(s.name, at, v))
	case time.Time:
		s.fail(s.f.SetCellValue(s.name, at, v))
	default:
		s.fail(fmt.Errorf("report: cell %s: unexpected %T", at, v))
	}
	b := 0
	if bold {
		b = 1
	}
	s.fail(s.f.SetCellStyle(s.name, at, at, s.st.body[c.kind][b]))
	s.widths[col] = max(s.widths[col], textgrid.Width(c.text))
}

// Widths are in Excel's character units; a Chinese character takes two.
const (
	minWidth    = 6
	maxWidth    = 40
	headerWrap  = 14 // a header wider than this wraps rather than widening its column
	lineHeight  = 14 // points per line of 10-point text
	noteLineHgt = 12
)

// finish sizes the columns and rows, freezes the header rows (firstHead
// to lastHead) and the first frozenCols columns, and sets up printing: A4
// landscape, fit to the page width, the header rows on every page, page
// numbers in the footer.
func (s *sheet) finish(firstHead, lastHead, frozenCols int) error {
	width := make([]int, s.ncols+1)
	for c := 1; c <= s.ncols; c++ {
		width[c] = s.widths[c]
	}
	for _, h := range s.heads {
		if h.span == 1 {
			width[h.col] = max(width[h.col], min(h.width, headerWrap))
		}
	}
	for c := 1; c <= s.ncols; c++ {
		width[c] = min(max(width[c]+2, minWidth), maxWidth)
		s.fail(s.f.SetColWidth(s.name, colName(c), colName(c), float64(width[c])))
	}
	lines := map[int]int{}
	for _, h := range s.heads {
		room := -2
		for c := h.col; c < h.col+h.span; c++ {
			room += width[c]
		}
		lines[h.row] = max(lines[h.row], (h.width+room-1)/max(room, 1))
	}
	for r := firstHead; r <= lastHead; r++ {
		s.fail(s.f.SetRowHeight(s.name, r, float64(max(lines[r], 1)*lineHeight+6)))
	}
	total := -2
	for c := 1; c <= s.ncols; c++ {
		total += width[c]
	}
	for _, n := range s.notes {
		// The note's font is smaller than the body's: about 1.2 of its
		// characters fit in a width unit.
		need := (textgrid.Width(n)*5/6 + total - 1) / max(total, 1)
		s.fail(s.f.SetRowHeight(s.name, 2, float64(max(need, 1)*noteLineHgt+6)))
	}
	s.fail(s.f.SetPanes(s.name, &excelize.Panes{
		Freeze: true, XSplit: frozenCols, YSplit: lastHead,
		TopLeftCell: ref(frozenCols+1, lastHead+1), ActivePane: "bottomRight",
	}))
	size, landscape, one, zero, fit, center := 9, "landscape", 1, 0, true, true
	s.fail(s.f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Size: &size, Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}))
	s.fail(s.f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: &fit}))
	narrow, edge := 0.4, 0.3
	s.fail(s.f.SetPageMargins(s.name, &excelize.PageLayoutMarginsOptions{Left: &narrow, Right: &narrow, Top: &narrow, Bottom: &narrow,
		Header: &edge, Footer: &edge, Horizontally: &center}))
	s.fail(s.f.SetHeaderFooter(s.name, &excelize.HeaderFooterOptions{OddFooter: "&C第 &P 页，共 &N 页"}))
	s.fail(s.f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", s.name, firstHead, lastHead),
		Scope:    s.name,
	}))
	return s.err
}

func colName(c int) string {
	n, _ := excelize.ColumnNumberToName(c)
	return n
}
