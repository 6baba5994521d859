package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"ufa/internal/spec"
)

// This file writes the annotated copy of a city's workbook (cli.md
// `validate --annotate`): the city's own file, every finding's cell filled
// red (error) or yellow (warning) with the message as a comment, and a
// first sheet 校验结果 listing every finding with a link to its cell. Only
// styles, comments and the new sheet change: every value stays as it was.

// ResultsSheet is the name of the sheet listing the findings.
const ResultsSheet = "校验结果"

// Fill colours of annotated cells (RGB): a clear red and yellow that keep
// black text readable on screen and on a grey-scale printout.
const (
	ErrorFill   = "FF9999"
	WarningFill = "FFFF66"
)

// CommentAuthor is the author of the comments the annotation adds.
const CommentAuthor = "ufa"

// ErrNotAnnotatable is returned for a workbook that could not be read
// (E_FILE): there is nothing to copy.
var ErrNotAnnotatable = errors.New("无法读取的工作簿不能生成标注副本")

// annotateOpen limits what opening the original may unpack. The reader has
// already accepted the file under its own limits; these only keep a bad
// day from turning into an exhausted machine.
var annotateOpen = excelize.Options{UnzipSizeLimit: 2 << 30, UnzipXMLSizeLimit: 64 << 20}

// Annotate writes to out an annotated copy of the workbook r was made
// from. out must not be the original. It writes to a temporary file
// beside out and renames it, so a failure leaves no half-written copy.
func Annotate(ctx context.Context, book *spec.Book, r *Result, out string) error {
	if r.Workbook == nil {
		return fmt.Errorf("%s: %w", r.File, ErrNotAnnotatable)
	}
	for _, f := range r.Findings {
		if f.Code == "E_FILE" {
			return fmt.Errorf("%s: %w", r.File, ErrNotAnnotatable)
		}
	}
	if same(r.File, out) {
		return fmt.Errorf("标注副本 %s 与原文件相同：请另选文件名，原文件不会被改写", out)
	}
	xf, err := excelize.OpenFile(r.File, annotateOpen)
	if err != nil {
		return fmt.Errorf("打开 %s: %w", r.File, err)
	}
	defer xf.Close()

	ps := arrange(book, r)
	tmp := out + ".tmp.xlsx" // excelize picks the content type by extension
	if err := annotate(ctx, xf, r, ps, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("标注 %s: %w", r.File, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("写标注副本 %s（若该文件已在 Excel/WPS 中打开，请先关闭）: %w", out, err)
	}
	return nil
}

// annotate marks the findings, adds the results sheet and saves to tmp.
// excelize panics on some unusual (valid or nearly valid) packages written
// by tools other than Excel and WPS; such a workbook gets no annotated
// copy and an error instead of a crash.
func annotate(ctx context.Context, xf *excelize.File, r *Result, ps []placed, tmp string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("该工作簿的结构无法写入标注（%v）；请用 Excel 或 WPS 另存为 .xlsx 后重试", p)
		}
	}()
	before := rawValues(xf)
	repairStyles(xf)
	a := &annotator{f: xf, styles: map[[2]int]int{}, sheets: map[string]bool{}, formats: map[markTarget]string{}}
	cells, err := a.mark(ctx, r.Workbook, ps)
	if err != nil {
		return err
	}
	if err := a.resultsSheet(r, ps, cells); err != nil {
		return fmt.Errorf("写校验结果表: %w", err)
	}
	if err := xf.SaveAs(tmp); err != nil {
		return fmt.Errorf("保存: %w", err)
	}
	return verify(before, a.formats, tmp)
}

// rawValues reads every stored value of every worksheet. GetRows streams
// a sheet's XML as stored unless the sheet was parsed before (then it
// writes excelize's own version first), so this must run before anything
// touches the sheets. A sheet it cannot read (a chartsheet) has no values
// to keep.
func rawValues(f *excelize.File) map[string][][]string {
	out := map[string][][]string{}
	for _, s := range f.GetSheetList() {
		raw, err := f.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			continue
		}
		out[s] = raw
	}
	return out
}

// verify reopens the saved copy and compares it with the original: every
// stored value of the city's sheets, and the number format of every cell
// whose style was changed (so each value still shows as it did). excelize
// mis-writes a few unusual packages (Strict OOXML, cells without
// references), and a copy that differs from what the city submitted must
// not be handed back.
func verify(before map[string][][]string, formats map[markTarget]string, path string) error {
	f, err := excelize.OpenFile(path, annotateOpen)
	if err != nil {
		return fmt.Errorf("核对标注副本: %w", err)
	}
	defer f.Close()
	after := rawValues(f)
	refuse := func(sheet string) error {
		return fmt.Errorf("标注副本中工作表“%s”的内容与原件不一致，已放弃写出；请用 Excel 或 WPS 将原件另存为“Excel 工作簿(*.xlsx)”后重试", sheet)
	}
	for s, v := range before {
		if !equalRows(v, after[s]) {
			return refuse(s)
		}
	}
	for t, v := range formats {
		if now, err := numberFormat(f, t); err != nil || now != v {
			return refuse(t.sheet)
		}
	}
	return nil
}

// numberFormat names the number format of a cell's style.
func numberFormat(f *excelize.File, t markTarget) (string, error) {
	id, err := f.GetCellStyle(t.sheet, t.cell)
	if err != nil {
		return "", err
	}
	st, err := f.GetStyle(id)
	if err != nil || st == nil {
		return "0", nil // a style the file does not define shows as General
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt, nil
	}
	return strconv.Itoa(st.NumFmt), nil
}

func equalRows(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// same tells whether two paths name one file (or one path, if neither
// exists yet).
func same(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	aa, _ := filepath.Abs(a)
	bb, _ := filepath.Abs(b)
	return aa == bb
}

type annotator struct {
	f *excelize.File
	// styles maps (original style, severity 0 error/1 warning) to the
	// filled clone, so each style is cloned once.
	styles map[[2]int]int
	sheets map[string]bool // worksheet or not (a chartsheet has no cells)
	// formats holds the number format of each cell whose style is
	// changed, for verify.
	formats map[markTarget]string
}

// isWorksheet tells whether a sheet of that name exists and has cells.
func (a *annotator) isWorksheet(name string) bool {
	ok, seen := a.sheets[name]
	if !seen {
		idx, err := a.f.GetSheetIndex(name)
		if ok = err == nil && idx >= 0; ok {
			_, err = a.f.GetSheetProps(name)
			ok = err == nil
		}
		a.sheets[name] = ok
	}
	return ok
}

// newStyle is excelize's NewStyle, made safe: excelize panics on a style
// part without some of its lists (minimal files written by other tools);
// such a style is reported as an error and the cell keeps its style.
func (a *annotator) newStyle(st *excelize.Style) (id int, err error) {
	defer func() {
		if p := recover(); p != nil {
			id, err = 0, fmt.Errorf("excelize NewStyle: %v", p)
		}
	}()
	return a.f.NewStyle(st)
}

// repairStyles adds the default font, fill and border lists to a style part
// that lacks them (Excel and WPS always write them; some other writers do
// not), so that a fill can be added. Cells point at the defaults by index
// 0 already, so nothing looks different.
func repairStyles(f *excelize.File) {
	const part = "xl/styles.xml"
	v, ok := f.Pkg.Load(part)
	if !ok {
		return
	}
	b, ok := v.([]byte)
	if !ok || len(b) == 0 {
		return
	}
	end := bytes.LastIndex(b, []byte("styleSheet>"))
	if end < 0 {
		return
	}
	closing := bytes.LastIndex(b[:end], []byte("</"))
	if closing < 0 {
		return
	}
	var add []byte
	if !bytes.Contains(b, []byte("fonts")) {
		add = append(add, `<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>`...)
	}
	if !bytes.Contains(b, []byte("fills")) {
		add = append(add, `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>`...)
	}
	if !bytes.Contains(b, []byte("borders")) {
		add = append(add, `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>`...)
	}
	if len(add) == 0 {
		return
	}
	out := append(append(append([]byte{}, b[:closing]...), add...), b[closing:]...)
	f.Pkg.Store(part, out)
}

// markTarget is where a finding is drawn in the workbook.
type markTarget struct{ sheet, cell string }

// target returns the cell a finding is drawn on, or ok=false when it is
// listed only: the file, a whole sheet, a sheet not in the workbook. A
// finding on a row (no column) is drawn on the row's first cell; a missing
// column on the header row's first cell.
func (a *annotator) target(wb *Workbook, p placed) (markTarget, bool) {
	if p.Sheet == "" {
		return markTarget{}, false
	}
	if !a.isWorksheet(p.Sheet) {
		return markTarget{}, false
	}
	row, col := p.Row, p.Column
	if row == 0 && col == "" && p.Code == "E_COLUMN_MISSING" && wb != nil {
		for _, t := range wb.Tables {
			if t != nil && t.Name == p.Sheet && t.HeaderRow > 0 {
				row = t.HeaderRow
			}
		}
	}
	if row <= 0 {
		return markTarget{}, false
	}
	if col == "" {
		col = "A"
	}
	cell := col + strconv.Itoa(row)
	if _, _, err := excelize.CellNameToCoordinates(cell); err != nil {
		return markTarget{}, false
	}
	return markTarget{p.Sheet, cell}, true
}

// mark fills and comments every finding's cell and returns, per finding,
// the cell it was drawn on ("" when listed only).
func (a *annotator) mark(ctx context.Context, wb *Workbook, ps []placed) ([]string, error) {
	type note struct {
		sev   Severity
		lines []string
	}
	notes := map[markTarget]*note{}
	var order []markTarget
	cells := make([]string, len(ps))
	for i, p := range ps {
		t, ok := a.target(wb, p)
		if !ok {
			continue
		}
		cells[i] = t.cell
		n := notes[t]
		if n == nil {
			n = &note{sev: Warning}
			notes[t] = n
			order = append(order, t)
		}
		if p.Severity == Error {
			n.sev = Error
		}
		line := severityName(p.Severity) + " " + p.Code + "：" + p.message
		if p.Row == 0 || p.Column == "" { // drawn on a stand-in cell: say what it stands for
			line = severityName(p.Severity) + " " + p.Code + "（" + p.place() + "）：" + p.message
		}
		n.lines = append(n.lines, line)
	}
	comments := map[string]map[string]excelize.Comment{} // sheet -> cell -> existing comment
	for _, t := range order {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := notes[t]
		if err := a.fill(t, n.sev); err != nil {
			return nil, err
		}
		if _, ok := comments[t.sheet]; !ok {
			cs, _ := a.f.GetComments(t.sheet)
			m := map[string]excelize.Comment{}
			for _, c := range cs {
				m[c.Cell] = c
			}
			comments[t.sheet] = m
		}
		if err := a.comment(t, n.lines, comments[t.sheet]); err != nil {
			return nil, err
		}
	}
	return cells, nil
}

// fill gives the cell the severity's fill, keeping everything else of its
// style (number format, font, borders, alignment, protection). A style
// excelize cannot clone is left as it is rather than lose its number
// format: the comment still marks the cell.
func (a *annotator) fill(t markTarget, sev Severity) error {
	orig, err := a.f.GetCellStyle(t.sheet, t.cell)
	if err != nil {
		return err
	}
	// Not GetCellValue: formatting a parsed cell rewrites its stored number
	// (1.0 becomes 1, long numbers are cut to 15 digits).
	if a.formats[t], err = numberFormat(a.f, t); err != nil {
		return err
	}
	key := [2]int{orig, 0}
	color := ErrorFill
	if sev == Warning {
		key[1], color = 1, WarningFill
	}
	id, ok := a.styles[key]
	if !ok {
		st, err := a.f.GetStyle(orig)
		if err != nil || st == nil {
			st = &excelize.Style{}
		}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
		id, err = a.newStyle(st)
		if err != nil {
			id = -1
		}
		a.styles[key] = id
	}
	if id < 0 {
		return nil
	}
	return a.f.SetCellStyle(t.sheet, t.cell, t.cell, id)
}

// comment puts the findings of a cell into its comment. A comment the city
// wrote on that cell is kept inside ours (a cell has only one comment).
func (a *annotator) comment(t markTarget, lines []string, existing map[string]excelize.Comment) error {
	text := cellText(strings.Join(lines, "\n"))
	if old, ok := existing[t.cell]; ok {
		var prev strings.Builder
		prev.WriteString(old.Text)
		for _, run := range old.Paragraph {
			prev.WriteString(run.Text)
		}
		if err := a.f.DeleteComment(t.sheet, t.cell); err != nil {
			return err
		}
		if s := strings.TrimSpace(prev.String()); s != "" {
			text += "\n——原批注（" + old.Author + "）——\n" + s
		}
	}
	if r := []rune(text); len(r) > maxComment {
		text = string(r[:maxComment]) + "…"
	}
	width, height := uint(320), uint(30+18*len(lines))
	for _, l := range lines {
		height += uint(18 * (len([]rune(l)) / 24)) // wrapped lines of a 320-pt box
	}
	return a.f.AddComment(t.sheet, excelize.Comment{
		Cell:      t.cell,
		Author:    CommentAuthor,
		Paragraph: []excelize.RichTextRun{{Text: CommentAuthor + "：", Font: &excelize.Font{Bold: true}}, {Text: "\n" + text}},
		Width:     width,
		Height:    min(height, 600),
	})
}

// resultsSheet adds the 校验结果 sheet, first and active: a summary line,
// a frozen bold header, and one row per finding with a link to its cell.
func (a *annotator) resultsSheet(r *Result, ps []placed, cells []string) error {
	name := ResultsSheet
	for i := 2; ; i++ { // a workbook annotated before already has one
		if idx, _ := a.f.GetSheetIndex(name); idx < 0 {
			break
		}
		name = ResultsSheet + strconv.Itoa(i)
	}
	if err := a.addFirstSheet(name); err != nil {
		return err
	}
	f := a.f
	// Styles of the results sheet; one excelize cannot make is left plain
	// (the list matters, its looks do not).
	style := func(st *excelize.Style) int {
		id, err := a.newStyle(st)
		if err != nil {
			return 0
		}
		return id
	}
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	bold := style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	header := style(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Border:    border,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
	})
	plain := style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	link := style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top"},
		Font: &excelize.Font{Color: "0563C1", Underline: "single"}})
	sevStyle := map[Severity]int{}
	// A slice, not a map: styles are numbered in the order they are made,
	// and the copy must come out the same bytes every time.
	for _, sc := range []struct {
		sev   Severity
		color string
	}{{Error, ErrorFill}, {Warning, WarningFill}} {
		sev, color := sc.sev, sc.color
		sevStyle[sev] = style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}})
	}

	if err := f.SetCellStr(name, "A1", filepathBase(r.File)+"："+Verdict(r)); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, "A1", "A1", bold); err != nil {
		return err
	}
	heads := []string{"序号", "严重程度", "代码", "工作表", "单元格", "字段", "值", "说明"}
	widths := []float64{6, 10, 28, 16, 10, 26, 26, 80}
	for i, h := range heads {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellStr(name, cell, h); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, widths[i]); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(name, "A2", "H2", header); err != nil {
		return err
	}
	if len(ps) == 0 {
		if err := f.SetCellStr(name, "A3", "未发现问题。"); err != nil {
			return err
		}
	}
	for i, p := range ps {
		row := i + 3
		at := func(col int) string { c, _ := excelize.CoordinatesToCellName(col, row); return c }
		sheet := p.Sheet
		if sheet == "" {
			sheet = "（整个文件）"
		}
		place := cells[i]
		if place == "" && p.Sheet != "" {
			place = strings.TrimPrefix(p.place(), p.Sheet)
			place = strings.TrimPrefix(place, "!")
		}
		vals := []any{i + 1, severityName(p.Severity), p.Code, sheet, place, p.fieldName, cellText(p.shown), cellText(p.message)}
		for c, v := range vals {
			var err error
			if s, ok := v.(string); ok {
				err = f.SetCellStr(name, at(c+1), s) // as text: a value like 0012 or =x stays as shown
			} else {
				err = f.SetCellValue(name, at(c+1), v)
			}
			if err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(name, at(1), at(8), plain); err != nil {
			return err
		}
		if err := f.SetCellStyle(name, at(2), at(2), sevStyle[p.Severity]); err != nil {
			return err
		}
		// Wrapped messages get the height they need: not every program
		// sizes rows to wrapped text when it opens a file.
		if lines := textWidth(p.message)/int(widths[7]-2) + 1; lines > 1 {
			if err := f.SetRowHeight(name, row, min(float64(15*lines), 409)); err != nil { // Excel's maximum
				return err
			}
		}
		if cells[i] != "" {
			target := "'" + strings.ReplaceAll(p.Sheet, "'", "''") + "'!" + cells[i]
			tip := "转到 " + p.Sheet + "!" + cells[i]
			if err := f.SetCellHyperLink(name, at(5), target, "Location", excelize.HyperlinkOpts{Tooltip: &tip}); err != nil {
				return err
			}
			if err := f.SetCellStyle(name, at(5), at(5), link); err != nil {
				return err
			}
		}
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A3", ActiveCell: "A3", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	if len(ps) > 0 {
		if err := f.AutoFilter(name, "A2:H"+strconv.Itoa(len(ps)+2), nil); err != nil {
			return err
		}
	}
	// Printed, the list fits the width of an A4 landscape page and repeats
	// its header on every page.
	a4, landscape, wide, tall := 9, "landscape", 1, 0
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + strings.ReplaceAll(name, "'", "''") + "'!$1:$2", Scope: name})
}

// addFirstSheet inserts an empty sheet at the front and makes it the
// active one. Sheet-scoped defined names (print areas, print titles,
// filters) point at sheets by position, which excelize's MoveSheet does
// not renumber: they are taken out before the move and put back after,
// by sheet name, so the city's print settings keep their sheets.
func (a *annotator) addFirstSheet(name string) error {
	f := a.f
	var local []excelize.DefinedName
	for _, dn := range f.GetDefinedName() {
		if dn.Scope != "" && dn.Scope != "Workbook" {
			local = append(local, dn)
		}
	}
	for i := range local {
		if err := f.DeleteDefinedName(&local[i]); err != nil {
			return fmt.Errorf("defined name %s: %w", local[i].Name, err)
		}
	}
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	// MoveSheet needs a sheet view on every sheet, which SetActiveSheet
	// gives them; it still panics on a workbook with a chartsheet, before
	// moving anything: the list then stays last (and active).
	f.SetActiveSheet(f.GetActiveSheetIndex())
	if err := moveFirst(f, name); err != nil {
		return err
	}
	for i := range local {
		if err := f.SetDefinedName(&local[i]); err != nil {
			return fmt.Errorf("defined name %s: %w", local[i].Name, err)
		}
	}
	idx, err := f.GetSheetIndex(name)
	if err != nil {
		return err
	}
	f.SetActiveSheet(idx)
	return nil
}

// moveFirst moves a sheet to the front, turning an excelize panic into
// "not moved".
func moveFirst(f *excelize.File, name string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = nil
		}
	}()
	return f.MoveSheet(name, f.GetSheetList()[0])
}

// maxComment keeps a comment under Excel's limit of 32,512 characters.
const maxComment = 30000

// cellText makes text fit for a cell or comment: control characters
// (which a cell can carry as _x0007_ escapes) are dropped, line breaks
// kept, and the text cut to Excel's 32,767 characters per cell.
func cellText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 32000 {
		s = string(r[:32000]) + "…"
	}
	return s
}

// textWidth is the width of s in Excel's character units: a Chinese
// character counts two.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		if r > 0x2E80 {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// filepathBase is the file's name without its folders.
func filepathBase(p string) string { return filepath.Base(p) }
