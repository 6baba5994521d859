package read

import (
	"fmt"
	"slices"
	"strings"

	"ufa/ingest/model"
	"ufa/internal/spec"
	"ufa/internal/textnorm"
)

const (
	// rdHeaderRows: the header is looked for among the first 10 non-empty
	// rows (title and note rows above it are skipped; counting non-empty
	// rows also tolerates blank rows between them).
	rdHeaderRows = 10
	// rdSeq is the optional sequence-number column, ignored.
	rdSeq = "序号"
	// rdItemHead / rdItemValue are the optional header of an item sheet.
	rdItemHead  = "项目"
	rdItemValue = "内容"
	// rdMaxItemRows bounds the rows kept of an item sheet (it has a dozen
	// items); rows past it are not read.
	rdMaxItemRows = 1000
)

// rdRaw is a non-empty row as eachRow gives it (its own copy of the
// slice).
type rdRaw struct {
	line  int
	cells []string
}

// rdTableRead reads one table sheet.
type rdTableRead struct {
	r     *rdReader
	s     *spec.Sheet
	t     *model.Table
	names map[string]int // normalised header -> spec column
	pos   []int          // per spec column: 0-based Excel column, -1 absent
	chunk []model.Value  // the backing array rows are cut from
	rows  []model.Row
}

// Rows' values are cut from chunks that double from rdChunkMin to
// rdChunkMax rows: no copying as the sheet grows (one array per sheet
// would be copied again and again by append), little waste on the small
// sheets.
const (
	rdChunkMin = 16
	rdChunkMax = 4096
)

// readTable streams a table sheet: it buffers the first non-empty rows
// until the header is known, then types every following row as it comes.
func (r *rdReader) readTable(s *spec.Sheet, name string) (*model.Table, error) {
	tr := &rdTableRead{r: r, s: s, names: r.headerNames(s), pos: make([]int, len(s.Columns)),
		t: &model.Table{Spec: s, Name: name, Cols: make([]string, len(s.Columns))}}
	for j := range tr.pos {
		tr.pos[j] = -1
	}
	var (
		buf              []rdRaw
		decided, present bool
	)
	err := r.eachRow(name, func(line int, cells []string) bool {
		if present {
			tr.data(line, cells)
			return true
		}
		if rdRowBlank(cells) {
			return true
		}
		buf = append(buf, rdRaw{line, slices.Clone(cells)})
		if len(buf) < rdHeaderRows {
			return true
		}
		decided, present = true, tr.pickHeader(buf)
		buf = nil
		return present
	})
	if err != nil {
		return nil, err
	}
	if !decided {
		present = tr.pickHeader(buf)
	}
	if !present {
		tr.noHeader()
	}
	return tr.finish(), nil
}

// pickHeader takes as header the buffered row matching the most known
// column names (the first of equals), and reads the rows after it. It
// reports false when no row names any known column.
func (tr *rdTableRead) pickHeader(buf []rdRaw) bool {
	best, bestScore := -1, 0
	seen := make([]bool, len(tr.s.Columns))
	for i, row := range buf {
		clear(seen)
		score := 0
		for _, c := range row.cells {
			if j, ok := tr.names[textnorm.Header(c)]; ok && !seen[j] {
				seen[j] = true
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return false
	}
	tr.setHeader(buf[best])
	for _, row := range buf[best+1:] {
		tr.data(row.line, row.cells)
	}
	return true
}

// setHeader places the columns: unknown headers are warned about and
// ignored, a repeated column keeps its first place, 序号 is ignored, and
// each missing required column is E_COLUMN_MISSING.
func (tr *rdTableRead) setHeader(row rdRaw) {
	tr.t.HeaderRow = row.line
	for i, c := range row.cells {
		if rdBlank(c) {
			continue
		}
		h := textnorm.Header(c)
		if h == rdSeq {
			continue
		}
		j, ok := tr.names[h]
		switch {
		case ok && tr.pos[j] < 0:
			tr.pos[j] = i
			tr.t.Cols[j] = rdColumn(i)
			if msg := rdUnitMessage(&tr.s.Columns[j], c); msg != "" {
				tr.r.add(model.Finding{Severity: model.Error, Code: "E_UNIT", Sheet: tr.t.Name, Row: row.line,
					Column: rdColumn(i), Field: tr.s.Columns[j].Key, Value: rdShown(textnorm.Text(c)),
					Message: "列" + msg})
			}
		case ok:
			tr.r.add(model.Finding{Severity: model.Warning, Code: "W_COLUMN_UNKNOWN", Sheet: tr.t.Name, Row: row.line,
				Column: rdColumn(i), Value: rdShown(textnorm.Text(c)),
				Message: fmt.Sprintf("列“%s”与 %s 列重复，本列已忽略：请删除重复的列。", tr.s.Columns[j].Name, tr.t.Cols[j])})
		default:
			tr.r.add(model.Finding{Severity: model.Warning, Code: "W_COLUMN_UNKNOWN", Sheet: tr.t.Name, Row: row.line,
				Column: rdColumn(i), Value: rdShown(textnorm.Text(c)),
				Message: fmt.Sprintf("模板中没有“%s”列，本列已忽略：如是模板中的列，请改用模板的列名；不需要的列可以删除。", rdShown(textnorm.Text(c)))})
		}
	}
	for j, c := range tr.s.Columns {
		if tr.pos[j] < 0 && c.Required {
			tr.r.add(model.Finding{Severity: model.Error, Code: "E_COLUMN_MISSING", Sheet: tr.t.Name, Row: row.line, Field: c.Key,
				Message: fmt.Sprintf("缺少必填列“%s”：请在表头（第 %d 行）添加“%s”列并逐行填写。", c.Name, row.line, c.Name)})
		}
	}
}

// noHeader reports a sheet without a recognisable header row: every
// required column is missing.
func (tr *rdTableRead) noHeader() {
	for _, c := range tr.s.Columns {
		if c.Required {
			tr.r.add(model.Finding{Severity: model.Error, Code: "E_COLUMN_MISSING", Sheet: tr.t.Name, Field: c.Key,
				Message: fmt.Sprintf("缺少必填列“%s”：工作表前 %d 个非空行中找不到表头（模板列名），请使用模板的表头后填写。", c.Name, rdHeaderRows)})
		}
	}
}

// data types one row after the header. A row with nothing in the known
// columns (empty, only 序号, or only notes in unknown columns) is skipped.
func (tr *rdTableRead) data(line int, cells []string) {
	empty := true
	for _, p := range tr.pos {
		if p >= 0 && p < len(cells) && !rdBlank(cells[p]) {
			empty = false
			break
		}
	}
	if empty {
		return
	}
	cols := tr.s.Columns
	n := len(cols)
	if len(tr.chunk)+n > cap(tr.chunk) {
		rows := min(max(rdChunkMin, 2*cap(tr.chunk)/n), rdChunkMax)
		tr.chunk = make([]model.Value, 0, rows*n)
	}
	tr.chunk = tr.chunk[:len(tr.chunk)+n]
	vs := tr.chunk[len(tr.chunk)-n : len(tr.chunk) : len(tr.chunk)]
	d1904 := tr.r.wb.Date1904
	for j := range cols {
		c := &cols[j]
		p := tr.pos[j]
		if p < 0 {
			if c.EmptyAs != "" {
				vs[j] = rdEmptyAs(c)
			}
			continue
		}
		raw := ""
		if p < len(cells) {
			raw = cells[p]
		}
		v, code, msg := rdType(c, raw, d1904)
		vs[j] = v
		if code != "" {
			tr.r.add(model.Finding{Severity: model.Error, Code: code, Sheet: tr.t.Name, Row: line, Column: tr.t.Cols[j],
				Field: c.Key, Value: rdShown(textnorm.Text(raw)), Message: msg})
		}
	}
	tr.rows = append(tr.rows, model.Row{Line: line, Values: vs})
}

// finish gives the table its rows, in a slice of exactly their number.
func (tr *rdTableRead) finish() *model.Table {
	tr.t.Rows = make([]model.Row, len(tr.rows))
	copy(tr.t.Rows, tr.rows)
	return tr.t
}

// readItems reads an item sheet (封面, 工作机制): items are found by name
// in the column that holds the most item names (the first used column
// when none is known), their values in the next. The optional 项目/
// 内容 header row is skipped; a row with an unknown name and no value is a
// title or note and ignored silently; an unknown name with a value is
// W_COLUMN_UNKNOWN; a repeated item keeps its first row. A trailing colon
// after an item name (填报单位：) is tolerated.
func (r *rdReader) readItems(s *spec.Sheet, name string) (*model.Table, error) {
	var rows []rdRaw
	err := r.eachRow(name, func(line int, cells []string) bool {
		if rdRowBlank(cells) {
			return true
		}
		rows = append(rows, rdRaw{line, slices.Clone(cells)})
		return len(rows) < rdMaxItemRows
	})
	if err != nil {
		return nil, err
	}
	n := len(s.Columns)
	t := &model.Table{Spec: s, Name: name, Cols: make([]string, n), Lines: make([]int, n)}
	vals := make([]model.Value, n)
	names := r.headerNames(s)
	used := rdItemColumn(rows, names)
	cover := s.Key == spec.SheetCover
	for _, row := range rows {
		nameRaw, valRaw := rdCellAt(row.cells, used), rdCellAt(row.cells, used+1)
		h := strings.TrimRight(textnorm.Header(nameRaw), ":")
		if h == "" || h == rdItemHead {
			continue
		}
		j, ok := names[h]
		if !ok || t.Lines[j] != 0 {
			if rdBlank(valRaw) || textnorm.Header(valRaw) == rdItemValue {
				continue
			}
			msg := fmt.Sprintf("模板中没有项目“%s”，本行已忽略：请核对项目名称。", rdShown(textnorm.Text(nameRaw)))
			if ok {
				msg = fmt.Sprintf("项目“%s”重复（第 %d 行已有），本行已忽略：请删除重复的行。", s.Columns[j].Name, t.Lines[j])
			}
			r.add(model.Finding{Severity: model.Warning, Code: "W_COLUMN_UNKNOWN", Sheet: name, Row: row.line,
				Column: rdColumn(used), Value: rdShown(textnorm.Text(nameRaw)), Message: msg})
			continue
		}
		c := &s.Columns[j]
		t.Lines[j] = row.line
		t.Cols[j] = rdColumn(used + 1)
		if msg := rdUnitMessage(c, nameRaw); msg != "" {
			r.add(model.Finding{Severity: model.Error, Code: "E_UNIT", Sheet: name, Row: row.line,
				Column: rdColumn(used), Field: c.Key, Value: rdShown(textnorm.Text(nameRaw)),
				Message: "项目" + msg})
		}
		if cover && (c.Key == "city" || c.Key == "month") {
			vals[j] = r.coverFact(c.Key, valRaw)
			continue
		}
		v, code, msg := rdType(c, valRaw, r.wb.Date1904)
		vals[j] = v
		if code != "" {
			r.add(model.Finding{Severity: model.Error, Code: code, Sheet: name, Row: row.line, Column: t.Cols[j],
				Field: c.Key, Value: rdShown(textnorm.Text(valRaw)), Message: msg})
		}
	}
	for j, c := range s.Columns {
		if t.Lines[j] != 0 {
			continue
		}
		if c.EmptyAs != "" {
			vals[j] = rdEmptyAs(&c)
		}
		if c.Required && !(cover && (c.Key == "city" || c.Key == "month")) {
			r.add(model.Finding{Severity: model.Error, Code: "E_REQUIRED", Sheet: name, Field: c.Key,
				Message: fmt.Sprintf("缺少项目“%s”：请在“项目”列添加“%s”一行，并在其右侧单元格填写。", c.Name, c.Name)})
		}
	}
	t.Rows = []model.Row{{Values: vals}}
	if cover {
		if j := s.ColumnIndex("filled_on"); j >= 0 && vals[j].OK {
			r.wb.FiledOn = vals[j].Date()
		}
	}
	return t, nil
}

// rdItemColumn is the column of the item names: the one holding the most
// known names or 项目, the leftmost of equals; without any, the first
// used column. Counting beats taking the first used column when a title
// sits left of the table.
func rdItemColumn(rows []rdRaw, names map[string]int) int {
	count := map[int]int{}
	best, first := -1, -1
	for _, row := range rows {
		for i, c := range row.cells {
			if rdBlank(c) {
				continue
			}
			if first < 0 || i < first {
				first = i
			}
			h := strings.TrimRight(textnorm.Header(c), ":")
			if _, ok := names[h]; ok || h == rdItemHead {
				count[i]++
				if best < 0 || count[i] > count[best] || count[i] == count[best] && i < best {
					best = i
				}
			}
		}
	}
	if best < 0 {
		return first
	}
	return best
}

// coverFact reads the cover's city or month. A value that does not parse
// is kept as read with OK false and no finding: Check reports E_COVER,
// which weighs it against the command line and the file name.
func (r *rdReader) coverFact(key, raw string) model.Value {
	s := textnorm.Text(raw)
	switch key {
	case "city":
		name := strings.TrimPrefix(strings.ReplaceAll(s, " ", ""), "辽宁省")
		for i := range r.book.Cities {
			c := &r.book.Cities[i]
			if name == c.Name || name == c.Short() || name == c.Code {
				r.wb.City = c
				return model.Value{S: c.Name, OK: true}
			}
		}
	case "month":
		if m, ok := rdMonth(s, r.wb.Date1904); ok {
			r.wb.Month = m
			return rdMonthValue(m)
		}
	}
	return model.Value{S: s}
}

func rdCellAt(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cells[i]
}
