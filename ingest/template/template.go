package template

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"ufa/internal/month"
	"ufa/internal/spec"
	"ufa/internal/textnorm"
)

// Options pre-fills the template's cover (from `ufa template
// --city --month`). Empty fields leave the cover's cells blank.
type Options struct {
	City  string // canonical name (沈阳市), short name (沈阳) or code (210100)
	Month string // YYYY-MM
}

// ErrOption marks a City or Month that Write cannot use;
// the command maps it to exit 2.
var ErrOption = errors.New("模板参数无效")

// Layout of the template. Everything about sheets and columns comes from
// spec.Book; these are only the choices of presentation.
const (
	// templateRows is how many data rows of a table sheet carry the
	// drop-downs and checks: more than any city reports in a month, and a
	// range, not cells, so it costs nothing in file size or reading time.
	templateRows = 5000
	// listSheet holds the drop-down lists too long for an inline list
	// (Excel allows 255 characters there): the cities and the counties.
	// Hidden, and ignored by the reader like every extra sheet.
	listSheet = "_lists"
	// itemHeadName / itemHeadValue head the two columns of an item sheet
	// (submission.md: 项目 and 内容).
	itemHeadName  = "项目"
	itemHeadValue = "内容"
	// docTime is written as the created and modified time so that the same
	// arguments always give the same bytes.
	docTime = "2026-01-01T00:00:00Z"
	// Colours: required headers are bold dark red on orange, optional
	// ones plain on grey. The 填写说明 sheet explains the colours; the
	// header text itself carries no `*` so that it is the canonical name.
	colorRequiredFill = "FCE4D6"
	colorRequiredFont = "C00000"
	colorOptionalFill = "EDEDED"
	colorSectionFill  = "DDEBF7"
	colorBorder       = "A6A6A6"
	minColumnWidth    = 9.0
)

// Date validation bounds: any plausible date of this program's lifetime,
// wide enough for founding dates of old organizations.
var (
	dateMin = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	dateMax = time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)
)

// Write writes the blank monthly workbook of submission.md to w:
// a 填写说明 sheet first (what a clerk reads first, and the active sheet),
// then every sheet of the spec in spec order with its canonical name,
// header, widths, formats, drop-downs and checks, then the hidden list
// sheet. The same book and options always give the same bytes.
func Write(book *spec.Book, w io.Writer, opt Options) error {
	tw, err := newTemplateWriter(book, opt)
	if err != nil {
		return err
	}
	defer tw.f.Close()
	if err := tw.build(); err != nil {
		return fmt.Errorf("生成模板: %w", err)
	}
	if _, err := tw.f.WriteTo(w); err != nil {
		return fmt.Errorf("写出模板: %w", err)
	}
	return nil
}

// templateCity resolves --city as the clerk may type it.
func templateCity(book *spec.Book, s string) (*spec.City, error) {
	s = textnorm.Text(s)
	if s == "" {
		return nil, nil
	}
	c, ok := book.City(s)
	if !ok {
		names := make([]string, len(book.Cities))
		for i, c := range book.Cities {
			names[i] = c.Name
		}
		return nil, fmt.Errorf("%w：未知的市 %q；请填写辽宁省14个市之一（%s），也可用简称或6位区划代码",
			ErrOption, s, strings.Join(names, "、"))
	}
	return &c, nil
}

// templateMonth checks --month: exactly YYYY-MM, as cli.md says.
func templateMonth(s string) (string, error) {
	s = textnorm.Text(s)
	if s == "" {
		return "", nil
	}
	m, err := month.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%w：报送月份 %q 无效；请写成 YYYY-MM（4位年份-2位月份），如 2026-10", ErrOption, s)
	}
	return m.String(), nil
}

type templateWriter struct {
	book  *spec.Book
	f     *excelize.File
	city  *spec.City
	month string
	st    templateStyles
	// lists maps a list's key to the defined name of its range on listSheet.
	lists    map[string]string
	listCols int
}

type templateStyles struct {
	title, subtitle, section, note int
	tableHead, tableCell, tableReq int
	headReq, headOpt               int // table sheets' header cells
	itemReq, itemOpt               int // item sheets' item-name cells
	column                         map[spec.Kind]int
	itemValue                      map[spec.Kind]int
}

func newTemplateWriter(book *spec.Book, opt Options) (*templateWriter, error) {
	city, err := templateCity(book, opt.City)
	if err != nil {
		return nil, err
	}
	month, err := templateMonth(opt.Month)
	if err != nil {
		return nil, err
	}
	return &templateWriter{book: book, f: excelize.NewFile(), city: city, month: month, lists: map[string]string{}}, nil
}

func (t *templateWriter) build() error {
	f := t.f
	if err := f.SetSheetName("Sheet1", spec.InstructionsSheet); err != nil {
		return err
	}
	// Create every sheet first so that their order is fixed: instructions,
	// the spec's sheets, the list sheet last.
	for _, s := range t.book.Sheets {
		if _, err := f.NewSheet(s.Name); err != nil {
			return fmt.Errorf("工作表 %s: %w", s.Name, err)
		}
	}
	if _, err := f.NewSheet(listSheet); err != nil {
		return err
	}
	if err := t.styles(); err != nil {
		return fmt.Errorf("样式: %w", err)
	}
	for _, s := range t.book.Sheets {
		var err error
		if s.Items {
			err = t.itemSheet(s)
		} else {
			err = t.tableSheet(s)
		}
		if err == nil {
			err = printLayout(f, s.Name)
		}
		if err != nil {
			return fmt.Errorf("工作表 %s: %w", s.Name, err)
		}
	}
	if err := t.instructions(); err != nil {
		return fmt.Errorf("工作表 %s: %w", spec.InstructionsSheet, err)
	}
	if err := printLayout(f, spec.InstructionsSheet); err != nil {
		return fmt.Errorf("工作表 %s: %w", spec.InstructionsSheet, err)
	}
	if err := f.SetSheetVisible(listSheet, false); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	title := "辽宁省社会组织统战工作月度报送表"
	return f.SetDocProps(&excelize.DocProperties{
		Title:          title,
		Subject:        strings.TrimSpace(t.cityName() + " " + t.month),
		Creator:        "ufa",
		LastModifiedBy: "ufa",
		Description:    "由 ufa template 生成，模板版本 " + spec.TemplateVersion,
		Version:        spec.TemplateVersion,
		Created:        docTime,
		Modified:       docTime,
		Language:       "zh-CN",
	})
}

func (t *templateWriter) cityName() string {
	if t.city == nil {
		return ""
	}
	return t.city.Name
}

func (t *templateWriter) styles() error {
	f := t.f
	border := []excelize.Border{
		{Type: "left", Color: colorBorder, Style: 1}, {Type: "right", Color: colorBorder, Style: 1},
		{Type: "top", Color: colorBorder, Style: 1}, {Type: "bottom", Color: colorBorder, Style: 1},
	}
	solid := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	wrap := &excelize.Alignment{Vertical: "top", WrapText: true}
	textFmt := 49 // "@": the cell keeps what is typed as text (no 2.10102E+17)
	dateFmt := "yyyy-mm-dd"
	defs := []struct {
		dst *int
		s   *excelize.Style
	}{
		{&t.st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&t.st.subtitle, &excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&t.st.section, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}, Fill: solid(colorSectionFill), Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&t.st.note, &excelize.Style{Alignment: wrap}},
		{&t.st.tableHead, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: solid(colorOptionalFill), Border: border, Alignment: center}},
		{&t.st.tableCell, &excelize.Style{Border: border, Alignment: wrap}},
		{&t.st.tableReq, &excelize.Style{Font: &excelize.Font{Bold: true, Color: colorRequiredFont}, Border: border, Alignment: wrap}},
		{&t.st.headReq, &excelize.Style{Font: &excelize.Font{Bold: true, Color: colorRequiredFont}, Fill: solid(colorRequiredFill), Border: border, Alignment: center}},
		{&t.st.headOpt, &excelize.Style{Fill: solid(colorOptionalFill), Border: border, Alignment: center}},
		{&t.st.itemReq, &excelize.Style{Font: &excelize.Font{Bold: true, Color: colorRequiredFont}, Fill: solid(colorRequiredFill), Border: border, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&t.st.itemOpt, &excelize.Style{Fill: solid(colorOptionalFill), Border: border, Alignment: &excelize.Alignment{Vertical: "center"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(d.s)
		if err != nil {
			return err
		}
		*d.dst = id
	}
	// Per kind: the column style of a table sheet's data cells (0: none)
	// and the bordered style of an item sheet's value cell.
	t.st.column = map[spec.Kind]int{}
	t.st.itemValue = map[spec.Kind]int{}
	for k := spec.Text; k <= spec.Dec; k++ {
		var col excelize.Style
		switch k {
		case spec.Text, spec.Code18, spec.ID18, spec.Month:
			col.NumFmt = textFmt
		case spec.Date:
			col.CustomNumFmt = &dateFmt
		}
		if col.NumFmt != 0 || col.CustomNumFmt != nil {
			id, err := f.NewStyle(&col)
			if err != nil {
				return err
			}
			t.st.column[k] = id
		}
		item := col
		item.Border = border
		item.Alignment = &excelize.Alignment{Horizontal: "left", Vertical: "center"}
		id, err := f.NewStyle(&item)
		if err != nil {
			return err
		}
		t.st.itemValue[k] = id
	}
	return nil
}

// tableSheet writes a sheet with a header row and one record per row.
func (t *templateWriter) tableSheet(s *spec.Sheet) error {
	f := t.f
	last := len(s.Columns)
	for i := range s.Columns {
		c := &s.Columns[i]
		letter, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		// The column style first: excelize also applies it to the cells
		// already in the column, which would undo the header's style.
		if id := t.st.column[c.Kind]; id != 0 {
			if err := f.SetColStyle(s.Name, letter, id); err != nil {
				return err
			}
		}
		if err := f.SetColWidth(s.Name, letter, letter, columnWidth(c)); err != nil {
			return err
		}
		head := letter + "1"
		if err := f.SetCellStr(s.Name, head, c.Name); err != nil {
			return err
		}
		style := t.st.headOpt
		if c.Required {
			style = t.st.headReq
		}
		if err := f.SetCellStyle(s.Name, head, head, style); err != nil {
			return err
		}
		dv, err := t.validation(s, c)
		if err != nil {
			return fmt.Errorf("列 %s: %w", c.Name, err)
		}
		dv.Sqref = fmt.Sprintf("%s2:%s%d", letter, letter, templateRows+1)
		if err := f.AddDataValidation(s.Name, dv); err != nil {
			return fmt.Errorf("列 %s: %w", c.Name, err)
		}
	}
	if last == 0 {
		return nil
	}
	if err := f.SetRowHeight(s.Name, 1, 30); err != nil {
		return err
	}
	return freezeFirstRow(f, s.Name)
}

// freezeFirstRow keeps the header in view while scrolling, and repeats it
// on every printed page.
// columnWidth is the spec's width, but never narrower than a three-character
// name plus the drop-down arrow (姓名 and 性别 would be 6).
func columnWidth(c *spec.Column) float64 { return math.Max(c.Width, minColumnWidth) }

func freezeFirstRow(f *excelize.File, sheet string) error {
	err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	})
	if err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$1", sheet), Scope: sheet,
	})
}

// printLayout prints a sheet on A4 landscape, all columns on one page
// width: offices print the blank form and the instructions.
func printLayout(f *excelize.File, sheet string) error {
	size, orient, wide, tall, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &size, Orientation: &orient, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	return f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit})
}

// itemSheet writes a 项目/内容 sheet: one row per item, the value in B.
func (t *templateWriter) itemSheet(s *spec.Sheet) error {
	f := t.f
	for i, h := range []string{itemHeadName, itemHeadValue} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(s.Name, cell, h); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(s.Name, "A1", "B1", t.st.tableHead); err != nil {
		return err
	}
	nameWidth, valueWidth := 12.0, 30.0
	for i := range s.Columns {
		c := &s.Columns[i]
		row := i + 2
		name, value := "A"+strconv.Itoa(row), "B"+strconv.Itoa(row)
		nameWidth = math.Max(nameWidth, c.Width)
		if err := f.SetCellStr(s.Name, name, c.Name); err != nil {
			return err
		}
		style := t.st.itemOpt
		if c.Required {
			style = t.st.itemReq
		}
		if err := f.SetCellStyle(s.Name, name, name, style); err != nil {
			return err
		}
		if err := f.SetCellStyle(s.Name, value, value, t.st.itemValue[c.Kind]); err != nil {
			return err
		}
		if v := t.prefill(s, c); v != "" {
			if err := f.SetCellStr(s.Name, value, v); err != nil {
				return err
			}
		}
		dv, err := t.validation(s, c)
		if err != nil {
			return fmt.Errorf("项目 %s: %w", c.Name, err)
		}
		dv.Sqref = value
		if err := f.AddDataValidation(s.Name, dv); err != nil {
			return fmt.Errorf("项目 %s: %w", c.Name, err)
		}
		if err := f.SetRowHeight(s.Name, row, 22); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(s.Name, "A", "A", nameWidth); err != nil {
		return err
	}
	if err := f.SetColWidth(s.Name, "B", "B", valueWidth); err != nil {
		return err
	}
	if err := f.SetRowHeight(s.Name, 1, 22); err != nil {
		return err
	}
	return freezeFirstRow(f, s.Name)
}

// prefill is what the cover says before the clerk types anything: the city
// and month of the command line and the template version.
func (t *templateWriter) prefill(s *spec.Sheet, c *spec.Column) string {
	if s.Key != spec.SheetCover {
		return ""
	}
	switch c.Key {
	case "city":
		return t.cityName()
	case "month":
		return t.month
	case "template_version":
		return spec.TemplateVersion
	}
	return ""
}

// divisionList returns the drop-down of administrative divisions a column
// takes, if any: the cover's city, and an organization's county (the
// counties of --city, or of the whole province without it, a name that
// several cities share listed once). Both live on the list sheet: the
// divisions are data of liaoning_divisions.csv, and the counties of the
// province are far beyond Excel's 255 characters of an inline list.
func (t *templateWriter) divisionList(s *spec.Sheet, c *spec.Column) (key string, values []string) {
	switch {
	case s.Key == spec.SheetCover && c.Key == "city":
		for _, city := range t.book.Cities {
			values = append(values, city.Name)
		}
		return "cities", values
	case c.Key == "county":
		seen := map[string]bool{}
		for _, city := range t.book.Cities {
			if t.city != nil && city.Code != t.city.Code {
				continue
			}
			for _, co := range city.Counties {
				if !seen[co.Name] {
					seen[co.Name] = true
					values = append(values, co.Name)
				}
			}
		}
		return "counties", values
	}
	return "", nil
}

func (t *templateWriter) hasDivisionList(s *spec.Sheet, c *spec.Column) bool {
	key, _ := t.divisionList(s, c)
	return key != ""
}

// listRange puts values in a column of the list sheet (once per key) and
// returns a workbook-level defined name for the range, which every version
// of Excel and WPS accepts as a list source from another sheet.
func (t *templateWriter) listRange(key, title string, values []string) (string, error) {
	if name, ok := t.lists[key]; ok {
		return name, nil
	}
	t.listCols++
	letter, err := excelize.ColumnNumberToName(t.listCols)
	if err != nil {
		return "", err
	}
	if err := t.f.SetCellStr(listSheet, letter+"1", title); err != nil {
		return "", err
	}
	for i, v := range values {
		if err := t.f.SetCellStr(listSheet, letter+strconv.Itoa(i+2), v); err != nil {
			return "", err
		}
	}
	name := "ufa_" + key
	err = t.f.SetDefinedName(&excelize.DefinedName{
		Name:     name,
		RefersTo: fmt.Sprintf("'%s'!$%s$2:$%s$%d", listSheet, letter, letter, len(values)+1),
		Comment:  title,
	})
	if err != nil {
		return "", err
	}
	t.lists[key] = name
	return name, nil
}

// validation builds the data validation of a column (without its Sqref):
// a drop-down for enumerations, booleans and divisions, date, whole and
// decimal checks, lengths of codes and text, and always the column's help
// as the prompt shown when a cell is selected. Blank cells pass: required
// cells are checked by `ufa validate`, which says which ones are missing.
func (t *templateWriter) validation(s *spec.Sheet, c *spec.Column) (*excelize.DataValidation, error) {
	dv := excelize.NewDataValidation(true)
	dv.SetInput(limitUTF16(c.Name, 32), limitUTF16(promptText(c), 255))
	title := limitUTF16(c.Name, 32)
	stop := excelize.DataValidationErrorStyleStop
	if key, values := t.divisionList(s, c); key != "" {
		name, err := t.listRange(key, c.Name, values)
		if err != nil {
			return nil, err
		}
		dv.SetSqrefDropList(name)
		if c.Kind == spec.Enum {
			dv.SetError(stop, title, "请从下拉列表中选择辽宁省的市，如“沈阳市”")
		} else {
			// The county may also be written as its 6-digit code, which
			// the list does not hold: warn, and let the clerk go on.
			dv.SetError(excelize.DataValidationErrorStyleWarning, title,
				"不在下拉列表中。请选择本市所辖县(市、区)，或填写6位区划代码；确认无误请点“是”")
		}
		return dv, nil
	}
	var err error
	switch c.Kind {
	case spec.Enum:
		values := c.Choices.Values
		if listFits(values) {
			err = dv.SetDropList(values)
		} else {
			var name string
			name, err = t.listRange(s.Key+"_"+c.Key, c.Name, values)
			dv.SetSqrefDropList(name)
		}
		dv.SetError(stop, title, limitUTF16("请从下拉列表中选择："+strings.Join(values, "、"), 255))
	case spec.Bool:
		err = dv.SetDropList(boolChoices)
		dv.SetError(stop, title, "请从下拉列表中选择“是”或“否”")
	case spec.Date:
		err = dv.SetRange(excelSerial(dateMin), excelSerial(dateMax), excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween)
		dv.SetError(stop, title, fmt.Sprintf("请输入日期，如 2026-10-05（%s 至 %s 之间）",
			dateMin.Format("2006-01-02"), dateMax.Format("2006-01-02")))
	case spec.Int:
		min := int64(math.MinInt32)
		if c.HasMin {
			min = c.Min
		}
		err = dv.SetRange(int(min), math.MaxInt32, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
		dv.SetError(stop, title, fmt.Sprintf("请输入不小于 %d 的整数，不要带单位或文字", min))
	case spec.Dec:
		min := float64(math.MinInt32)
		if c.HasMin {
			min = float64(c.Min)
		}
		err = dv.SetRange(min, float64(math.MaxInt32), excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
		dv.SetError(stop, title, fmt.Sprintf("请输入不小于 %g 的数字，不要带单位或文字", min))
	case spec.Code18, spec.ID18:
		err = dv.SetRange(18, 18, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorEqual)
		what := "统一社会信用代码应为18位数字或大写字母，请核对"
		if c.Kind == spec.ID18 {
			what = "公民身份号码应为18位（末位可为X），请核对"
		}
		dv.SetError(stop, title, what)
	case spec.Text:
		if c.MaxLen > 0 {
			err = dv.SetRange(0, c.MaxLen, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween)
			dv.SetError(stop, title, fmt.Sprintf("不能超过 %d 个字，请精简", c.MaxLen))
		}
	}
	// Month and plain text: the prompt only (any value is allowed; the
	// text format keeps 2026-10 from becoming a date).
	return dv, err
}

// boolChoices is the drop-down of a boolean: the canonical spellings.
var boolChoices = []string{spec.BoolTrue[0], spec.BoolFalse[0]}

// listFits tells whether an inline list stays under Excel's limit of 255
// characters (UTF-16 units, separators included).
func listFits(values []string) bool {
	return len(utf16.Encode([]rune(strings.Join(values, ",")))) <= 255
}

func limitUTF16(s string, n int) string {
	u := utf16.Encode([]rune(s))
	if len(u) <= n {
		return s
	}
	r := []rune(s)
	for len(utf16.Encode(r)) > n-1 {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// excelSerial is a date's serial number in the 1900 date system.
func excelSerial(d time.Time) int {
	return int(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// promptText is the help shown when a cell is selected.
func promptText(c *spec.Column) string {
	req := requiredLabel(c)
	if c.Help == "" {
		return req
	}
	return req + "。" + c.Help
}

func requiredLabel(c *spec.Column) string {
	switch {
	case c.Required:
		return "必填"
	case c.EmptyAs != "":
		return "选填（空白视为“" + c.EmptyAs + "”）"
	}
	return "选填"
}

func kindLabel(k spec.Kind, list bool) string {
	switch {
	case list && k == spec.Text:
		return "文本（可下拉选择）"
	}
	switch k {
	case spec.Code18:
		return "18位代码（文本）"
	case spec.ID18:
		return "18位身份证号（文本）"
	case spec.Enum:
		return "选项（下拉选择）"
	case spec.Bool:
		return "是/否（下拉选择）"
	case spec.Date:
		return "日期"
	case spec.Month:
		return "年月（文本）"
	case spec.Int:
		return "整数"
	case spec.Dec:
		return "数字（可带小数）"
	}
	return "文本"
}

// allowedValues is the 可选值/格式 cell of the instructions.
func (t *templateWriter) allowedValues(s *spec.Sheet, c *spec.Column) string {
	if key, values := t.divisionList(s, c); key != "" {
		if key == "counties" && t.city == nil {
			return "本市所辖县(市、区)的名称（见下拉列表）或6位区划代码"
		}
		if c.Kind == spec.Enum {
			return strings.Join(values, "、")
		}
		return strings.Join(values, "、") + "；或其6位区划代码"
	}
	switch c.Kind {
	case spec.Enum:
		v := strings.Join(c.Choices.Values, "、")
		if c.EmptyAs != "" {
			v += "（空白视为“" + c.EmptyAs + "”）"
		}
		return v
	case spec.Bool:
		return strings.Join(boolChoices, "、")
	case spec.Date:
		return "如 2026-10-05"
	case spec.Month:
		return "如 2026-10"
	case spec.Int, spec.Dec:
		if c.HasMin {
			return fmt.Sprintf("≥ %d", c.Min)
		}
	case spec.Code18, spec.ID18:
		return "18位"
	case spec.Text:
		if c.MaxLen > 0 {
			return fmt.Sprintf("不超过 %d 字", c.MaxLen)
		}
	}
	return ""
}

// Instructions sheet columns: name, required, kind, allowed values, rule.
var instructionWidths = []float64{32, 12, 20, 46, 60}

func (t *templateWriter) instructions() error {
	f, sh := t.f, spec.InstructionsSheet
	lastCol, _ := excelize.ColumnNumberToName(len(instructionWidths))
	total := 0.0
	for i, w := range instructionWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return err
		}
		total += w
	}
	row := 0
	// line writes one text across all columns (merged, wrapped) with a row
	// height that shows all of it: Excel does not size merged cells itself.
	line := func(text string, style int, minHeight float64) error {
		row++
		a := "A" + strconv.Itoa(row)
		if text == "" {
			return nil
		}
		if err := f.SetCellStr(sh, a, text); err != nil {
			return err
		}
		if err := f.MergeCell(sh, a, lastCol+strconv.Itoa(row)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, a, a, style); err != nil {
			return err
		}
		return f.SetRowHeight(sh, row, math.Max(minHeight, lineHeight(textLines(text, total-2))))
	}
	cityText, monthText := "（未指定，请在封面填写）", "（未指定，请在封面填写）"
	if t.city != nil {
		cityText = t.city.Name
	}
	if t.month != "" {
		monthText = t.month
	}
	if err := line("辽宁省社会组织统战工作月度报送表　填写说明", t.st.title, 30); err != nil {
		return err
	}
	if err := line(fmt.Sprintf("模板版本 %s　填报单位：%s　报送月份：%s", spec.TemplateVersion, cityText, monthText), t.st.subtitle, 20); err != nil {
		return err
	}
	row++
	if err := line("一、总体要求", t.st.section, 22); err != nil {
		return err
	}
	for i, n := range t.generalNotes() {
		if err := line(fmt.Sprintf("%d. %s", i+1, n), t.st.note, 18); err != nil {
			return err
		}
	}
	row++
	if err := line("二、各工作表填写要求", t.st.section, 22); err != nil {
		return err
	}
	for i, s := range t.book.Sheets {
		row++
		if err := line(fmt.Sprintf("（%s）%s：%s", chineseOrdinal(i+1), s.Name, s.Help), t.st.section, 22); err != nil {
			return err
		}
		head := []string{"列名", "是否必填", "类型", "可选值 / 格式", "填写要求"}
		if s.Items {
			head[0] = "项目（" + itemHeadName + "列）"
		}
		if err := t.instructionRow(&row, head, t.st.tableHead, t.st.tableHead); err != nil {
			return err
		}
		for j := range s.Columns {
			c := &s.Columns[j]
			cells := []string{c.Name, requiredLabel(c), kindLabel(c.Kind, t.hasDivisionList(s, c)), t.allowedValues(s, c), c.Help}
			req := t.st.tableCell
			if c.Required {
				req = t.st.tableReq
			}
			if err := t.instructionRow(&row, cells, t.st.tableCell, req); err != nil {
				return err
			}
		}
	}
	return nil
}

// instructionRow writes one row of an instructions table; the first two
// cells (name and required) take nameStyle so required ones stand out.
func (t *templateWriter) instructionRow(row *int, cells []string, style, nameStyle int) error {
	*row++
	lines := 1
	for i, v := range cells {
		cell, _ := excelize.CoordinatesToCellName(i+1, *row)
		if err := t.f.SetCellStr(spec.InstructionsSheet, cell, v); err != nil {
			return err
		}
		st := style
		if i < 2 {
			st = nameStyle
		}
		if err := t.f.SetCellStyle(spec.InstructionsSheet, cell, cell, st); err != nil {
			return err
		}
		lines = max(lines, textLines(v, instructionWidths[i]-1))
	}
	return t.f.SetRowHeight(spec.InstructionsSheet, *row, lineHeight(lines))
}

// generalNotes are the rules that hold for every sheet.
func (t *templateWriter) generalNotes() []string {
	var names []string
	for _, s := range t.book.Sheets {
		names = append(names, "“"+s.Name+"”")
	}
	file, cmd := "沈阳市_2026-10.xlsx", "ufa validate 沈阳市_2026-10.xlsx"
	if t.city != nil && t.month != "" {
		file = t.city.Name + "_" + t.month + ".xlsx"
		cmd = fmt.Sprintf("ufa validate --city %s --month %s %s", t.city.Name, t.month, file)
	}
	return []string{
		"本工作簿每月报送一份，反映截至报送月份最后一天的情况和当月开展的工作。文件名请用“市名_报送月份”，如“" + file + "”。",
		"需填写的工作表共 " + strconv.Itoa(len(names)) + " 张：" + strings.Join(names, "、") +
			"。请勿修改工作表名称和表头文字，不要删除列；没有数据的表保留表头即可。本说明表和隐藏的下拉列表表（" + listSheet + "）不会被读取，请勿删除。",
		"表头为橙色底纹、红色加粗字的列（封面、工作机制中的项目）为必填；灰色底纹的可以留空。选中单元格时会显示该列的填写提示。",
		"每个组织、每位人士、每次活动等各占一行，从表头下一行起连续填写；不要合并单元格，不要在表中插入标题、小计、合计或说明行。",
		"统一社会信用代码、公民身份号码、活动编号、联系电话等列已设为文本格式，可直接输入18位号码，不会变成 2.10102E+17 这样的数字。从其他表格复制时请先确认源表中的号码完整，粘贴时选择“只粘贴数值”，以免覆盖本表格式。身份证号末位的 X 大小写均可。",
		"日期请按 2026-10-05 的格式输入；报送月份按 2026-10 的格式填写。",
		"带下拉箭头的单元格请从列表中选择；“是/否”类的列填“是”或“否”。人数、次数、金额等数字列只填阿拉伯数字，不要带单位或文字。",
		"各表之间互相引用：代表人士所在组织的信用代码须在“社会组织”表中，活动参加人员的活动编号须在“联系活动”表中，各表中的身份证号须在“代表人士”表中。详见下方各表说明。",
		"填好后请先用校验程序检查：" + cmd + "。有任何错误的工作簿将被整体拒收，请按提示逐条修改后重新报送；警告不影响接收，但请核实。",
	}
}

// textLines estimates how many lines text takes in a wrapped cell of the
// given width (Excel's width unit is about one Latin character; a Chinese
// character takes two).
func textLines(text string, width float64) int {
	units := 0
	for _, r := range text {
		if r > 0x2E80 {
			units += 2
		} else {
			units++
		}
	}
	if width < 1 {
		width = 1
	}
	return max(1, int(math.Ceil(float64(units)/width)))
}

func lineHeight(lines int) float64 { return float64(lines)*16 + 4 }

func chineseOrdinal(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	if n < len(digits) {
		return digits[n]
	}
	return strconv.Itoa(n)
}
