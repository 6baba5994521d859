package queries

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"ufa/internal/textgrid"
	"ufa/metrics"
)

// Formats of Write (parquet is Runner.Parquet).
const (
	Table = "table"
	CSV   = "csv"
	JSON  = "json"
	XLSX  = "xlsx"
)

// Null is how a null shows in the table format.
const Null = "—"

// Write writes rows in format (table, csv, json or xlsx) to w.
func Write(w io.Writer, format string, rows Rows) error {
	switch format {
	case Table:
		return writeTable(w, rows)
	case CSV:
		return writeCSV(w, rows)
	case JSON:
		return writeJSON(w, rows)
	case XLSX:
		return writeXLSX(w, rows)
	}
	return requestf("不认识的输出格式 %q：可用 table、csv、json、xlsx 或 parquet", format)
}

// isDate tells whether a time value of column c is a date (DATE, or a
// midnight time from a column of unknown type).
func isDate(c Column, t time.Time) bool {
	switch c.Type {
	case "DATE":
		return true
	case "":
		return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
	}
	return false
}

// machine formats a value for CSV: full precision, dates ISO, booleans
// true/false, null empty, nested values as JSON.
func machine(c Column, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if isDate(c, x) {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	default:
		b, err := jsonValue(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
}

// human formats a value for the table: booleans 是/否, null —, floats
// without noise (at most four decimals when the exact form is long).
func human(c Column, v any) string {
	switch x := v.(type) {
	case nil:
		return Null
	case bool:
		if x {
			return "是"
		}
		return "否"
	case int64:
		if c.Unit == UnitRate {
			return metrics.Percent(float64(x))
		}
	case float64:
		if c.Unit == UnitRate && !math.IsNaN(x) && !math.IsInf(x, 0) {
			return metrics.Percent(x)
		}
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > 4 {
			s = strings.TrimRight(strings.TrimRight(strconv.FormatFloat(x, 'f', 4, 64), "0"), ".")
		}
		return s
	}
	return machine(c, v)
}

func writeTable(w io.Writer, rows Rows) error {
	cols := rows.Columns()
	grid := [][]string{make([]string, len(cols))}
	numeric := make([]bool, len(cols))
	for i, c := range cols {
		grid[0][i] = c.Name
		numeric[i] = true
	}
	seen := make([]bool, len(cols))
	for rows.Next() {
		vs := rows.Values()
		r := make([]string, len(cols))
		for i, v := range vs {
			r[i] = oneLine(human(cols[i], v))
			switch v.(type) {
			case nil:
			case int64, float64:
				seen[i] = true
			default:
				seen[i], numeric[i] = true, false
			}
		}
		grid = append(grid, r)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	for _, n := range rows.Notes() {
		fmt.Fprintln(bw, n)
	}
	bw.Flush()
	if len(cols) > 0 {
		if err := textgrid.Write(w, grid, func(i int) bool { return numeric[i] && seen[i] }); err != nil {
			return err
		}
	}
	fmt.Fprintf(bw, "（共 %d 行）\n", len(grid)-1)
	return bw.Flush()
}

// oneLine keeps a table row on one line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
}

func writeCSV(w io.Writer, rows Rows) error {
	cols := rows.Columns()
	cw := csv.NewWriter(w)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = CSVText(c.Name)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(cols))
	for rows.Next() {
		for i, v := range rows.Values() {
			rec[i] = machine(cols[i], v)
			if _, text := v.(string); text {
				rec[i] = CSVText(rec[i])
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// CSVText neutralises a text cell that a spreadsheet would run as a
// formula (OWASP's CSV injection advice): when, after NFKC (so that the
// full-width ＝＋－＠ count) and trimming blanks, it starts with = + - @,
// a tab or a carriage return, a single quote is put in front, which
// spreadsheets show as text. Only text cells pass here: numbers, -5
// included, stay numbers.
func CSVText(s string) string {
	t := strings.TrimLeftFunc(norm.NFKC.String(s), func(r rune) bool { return r == ' ' || unicode.IsSpace(r) && r != '\t' && r != '\r' })
	if t == "" {
		return s
	}
	switch t[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// jsonValue encodes one value: numbers as numbers (NaN and infinities as
// null), dates and times as text, no HTML escaping.
func jsonValue(v any) ([]byte, error) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return []byte("null"), nil
		}
		return []byte(strconv.FormatFloat(x, 'f', -1, 64)), nil
	case time.Time:
		return json.Marshal(x.Format("2006-01-02 15:04:05"))
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// uniqueNames makes column names usable as JSON keys: a repeated name
// gets _2, _3...
func uniqueNames(cols []Column) []string {
	out := make([]string, len(cols))
	used := map[string]bool{}
	for i, c := range cols {
		name := c.Name
		for n := 2; used[name]; n++ {
			name = c.Name + "_" + strconv.Itoa(n)
		}
		used[name] = true
		out[i] = name
	}
	return out
}

// writeJSON writes an array of objects, one per row and line, keys in
// column order.
func writeJSON(w io.Writer, rows Rows) error {
	cols := rows.Columns()
	keys := make([][]byte, len(cols))
	for i, n := range uniqueNames(cols) {
		b, err := jsonValue(n)
		if err != nil {
			return err
		}
		keys[i] = b
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	first := true
	for rows.Next() {
		if first {
			bw.WriteString("\n  {")
			first = false
		} else {
			bw.WriteString(",\n  {")
		}
		for i, v := range rows.Values() {
			if i > 0 {
				bw.WriteString(", ")
			}
			bw.Write(keys[i])
			bw.WriteString(": ")
			if t, ok := v.(time.Time); ok && isDate(cols[i], t) {
				v = t.Format("2006-01-02")
			}
			b, err := jsonValue(v)
			if err != nil {
				return fmt.Errorf("列 %s: %w", cols[i].Name, err)
			}
			bw.Write(b)
		}
		bw.WriteString("}")
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !first {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// xlsxMaxRows is Excel's row limit less the header.
const xlsxMaxRows = 1048575

// xlsxSheet is the name of the result's sheet.
const xlsxSheet = "查询结果"

// writeXLSX writes the rows as a workbook with one sheet: a bold, frozen
// header row; numbers as numbers, dates and times with their format,
// booleans 是/否 and every text as a text cell (never a formula, whatever
// it starts with). Column widths fit the header and the first rows.
func writeXLSX(w io.Writer, rows Rows) error {
	cols := rows.Columns()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", xlsxSheet); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
	if err != nil {
		return err
	}
	dateFmt, timeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	timeStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &timeFmt})
	if err != nil {
		return err
	}
	pctFmt := "0.0%"
	pctStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &pctFmt})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(xlsxSheet)
	if err != nil {
		return err
	}
	cell := func(c Column, v any) any {
		switch x := v.(type) {
		case nil:
			return nil
		case int64:
			if c.Unit == UnitRate {
				return excelize.Cell{StyleID: pctStyle, Value: x}
			}
			return x
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return excelize.Cell{Value: strconv.FormatFloat(x, 'f', -1, 64)}
			}
			if c.Unit == UnitRate {
				return excelize.Cell{StyleID: pctStyle, Value: x}
			}
			return x
		case bool:
			return excelize.Cell{Value: human(c, x)}
		case time.Time:
			if isDate(c, x) {
				return excelize.Cell{StyleID: dateStyle, Value: x}
			}
			return excelize.Cell{StyleID: timeStyle, Value: x}
		default:
			// A string is written as an inline string: text, even when it
			// starts with = + - or @.
			return excelize.Cell{Value: machine(c, v)}
		}
	}
	// The first rows are held back to size the columns, which the stream
	// writer needs before any row.
	const sample = 200
	var held [][]any
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = textgrid.Width(c.Name)
	}
	for len(held) < sample && rows.Next() {
		vs := rows.Values()
		r := make([]any, len(vs))
		for i, v := range vs {
			r[i] = cell(cols[i], v)
			widths[i] = max(widths[i], textgrid.Width(human(cols[i], v)))
		}
		held = append(held, r)
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, float64(min(max(wd, 6), 60)+2)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: head, Value: c.Name}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	n := 1
	put := func(r []any) error {
		if n > xlsxMaxRows {
			return requestf("结果超过 Excel 的行数上限（%d 行）：请缩小查询范围，或改用 --format csv 或 parquet", xlsxMaxRows)
		}
		n++
		ref, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(ref, r)
	}
	for _, r := range held {
		if err := put(r); err != nil {
			return err
		}
	}
	for rows.Next() {
		vs := rows.Values()
		r := make([]any, len(vs))
		for i, v := range vs {
			r[i] = cell(cols[i], v)
		}
		if err := put(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
