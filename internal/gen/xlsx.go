package gen

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"ufa/internal/atomicfile"
	calmonth "ufa/internal/month"
	"ufa/internal/spec"
)

// sheet is one sheet to write: the header and the rows in spec column
// order (item sheets: rows of 项目/内容).
type sheet struct {
	key    string // spec sheet key, "" for 填写说明
	name   string
	spec   *spec.Sheet
	cols   []string  // header cells
	keys   []string  // column keys parallel to cols ("" for a column the spec does not have)
	widths []float64 // parallel to cols
	items  []string  // item sheets: the item key of each row
	rows   [][]any
}

func (s *sheet) col(key string) int { return slices.Index(s.keys, key) }

// item returns the row of an item sheet's item, or -1.
func (s *sheet) item(key string) int { return slices.Index(s.items, key) }

// workbook is a whole file to write.
type workbook struct {
	sheets  []*sheet
	created time.Time // 填报日期: docProps carry it, so files do not depend on the clock
	author  string
	style   style
}

func (wb *workbook) sheet(key string) *sheet {
	for _, s := range wb.sheets {
		if s.key == key {
			return s
		}
	}
	return nil
}

// clone copies the workbook so that a variant (a first attempt with
// errors, a fault) can change rows with set without touching the original:
// the row lists are copied, the rows themselves when set changes them.
func (wb *workbook) clone() *workbook {
	c := *wb
	c.sheets = make([]*sheet, len(wb.sheets))
	for i, s := range wb.sheets {
		sc := *s
		sc.cols = slices.Clone(s.cols)
		sc.keys = slices.Clone(s.keys)
		sc.widths = slices.Clone(s.widths)
		sc.items = slices.Clone(s.items)
		sc.rows = slices.Clone(s.rows)
		c.sheets[i] = &sc
	}
	return &c
}

// set changes one cell: data row i of a table sheet in column key, or the
// item key of an item sheet (i ignored).
func (wb *workbook) set(sheetKey string, i int, key string, v any) {
	s := wb.sheet(sheetKey)
	col := 1
	if s.spec.Items {
		i = s.item(key)
	} else {
		col = s.col(key)
	}
	if i < 0 || col < 0 || i >= len(s.rows) {
		panic(fmt.Sprintf("gen: no cell %s/%d/%s", sheetKey, i, key))
	}
	row := slices.Clone(s.rows[i])
	row[col] = v
	s.rows[i] = row
}

func (wb *workbook) get(sheetKey string, i int, key string) any {
	s := wb.sheet(sheetKey)
	if s.spec.Items {
		return s.rows[s.item(key)][1]
	}
	return s.rows[i][s.col(key)]
}

// style is how a city's clerks fill the template. Every style is read
// without a finding (submission.md, "How a workbook is read"); they make
// the demo's files as varied as the real ones.
type style struct {
	title     bool // a title row above each table's header, sheets named 表1-社会组织
	seq       bool // a 序号 column first
	textDates bool // dates typed as text: 2026/10/5
	aliases   bool // accepted aliases for some headers and values
}

// styleOf gives each city its style by its place in the divisions table,
// so that 沈阳市 (the benchmark city) writes the plain template.
func styleOf(idx int) style {
	switch idx % 4 {
	case 1:
		return style{title: true, seq: true}
	case 2:
		return style{textDates: true, aliases: true}
	case 3:
		return style{seq: true, aliases: true}
	}
	return style{}
}

// valueAliases are accepted spellings (spec Choices aliases) that the
// aliases style writes instead of the canonical value.
var valueAliases = map[string]map[string]string{
	"org_type":  {"民办非企业单位": "社会服务机构", "市场中介机构": "中介机构"},
	"education": {"大学本科": "本科", "大学专科": "大专", "研究生": "硕士研究生"},
	"type":      {"走访": "走访慰问"},
}

// sheetName is the name the sheet gets in the file.
func (st style) sheetName(s *sheet, i int) string {
	if st.title && s.key != "" && s.key != spec.SheetCover {
		return fmt.Sprintf("表%d-%s", i, s.name)
	}
	return s.name
}

// header is the header cell of column i.
func (st style) header(s *sheet, i int) string {
	if st.aliases && i < len(s.keys) && s.spec != nil && !s.spec.Items {
		if c := s.spec.Column(s.keys[i]); c != nil && len(c.Aliases) > 0 && c.Name == s.cols[i] {
			return c.Aliases[0]
		}
	}
	return s.cols[i]
}

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// bytes renders the workbook as an xlsx file with excelize's stream
// writer. The file depends on nothing but the workbook: docProps carry the
// 填报日期, and the zip entries are written in sorted order (excelize
// writes stream-written sheets in map order, sortedZip puts them back).
func (wb *workbook) bytes() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return &sortedZip{w: w, mod: wb.created} })
	hdr, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border: []excelize.Border{{Type: "left", Color: "9BC2E6", Style: 1}, {Type: "right", Color: "9BC2E6", Style: 1},
			{Type: "top", Color: "9BC2E6", Style: 1}, {Type: "bottom", Color: "9BC2E6", Style: 1}},
	})
	if err != nil {
		return nil, err
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return nil, err
	}
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	if err != nil {
		return nil, err
	}
	st := wb.style
	for i, s := range wb.sheets {
		name := st.sheetName(s, i)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		if err := wb.writeSheet(f, s, name, hdr, dateStyle, titleStyle); err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	stamp := wb.created.Format("2006-01-02") + "T09:30:00Z"
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: wb.author, LastModifiedBy: wb.author, Created: stamp, Modified: stamp,
		Title: "社会组织统战工作月报", Language: "zh-CN",
	}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (wb *workbook) writeSheet(f *excelize.File, s *sheet, name string, hdr, dateStyle, titleStyle int) error {
	st := wb.style
	items := s.spec != nil && s.spec.Items
	seq := st.seq && !items && s.key != ""
	title := st.title && !items && s.key != ""
	off := 0
	if seq {
		off = 1
	}
	// The stream writer writes the worksheet's <dimension> as it is when the
	// stream starts (A1 by default); readers that trust it (openpyxl's
	// read-only mode) would see one cell. Set the real used range first.
	lastRow := 1 + len(s.rows)
	if title {
		lastRow++
	}
	used, _ := excelize.CoordinatesToCellName(len(s.cols)+off, lastRow)
	if err := f.SetSheetDimension(name, "A1:"+used); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if seq {
		if err := sw.SetColWidth(1, 1, 6); err != nil {
			return err
		}
	}
	if items {
		if err := sw.SetColWidth(1, 1, 34); err != nil {
			return err
		}
		if err := sw.SetColWidth(2, 2, 26); err != nil {
			return err
		}
	}
	for i, w := range s.widths {
		if w > 0 {
			if err := sw.SetColWidth(i+1+off, i+1+off, w); err != nil {
				return err
			}
		}
	}
	row := 1
	if title {
		row = 2
	}
	if !items {
		cell, _ := excelize.CoordinatesToCellName(1, row+1)
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: row, TopLeftCell: cell, ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	if title {
		last, _ := excelize.CoordinatesToCellName(len(s.cols)+off, 1)
		text := s.name
		if cover := wb.sheet(spec.SheetCover); cover != nil {
			// 沈阳市社会组织（2026年10月）
			city, _ := wb.get(spec.SheetCover, 0, "city").(string)
			month, _ := wb.get(spec.SheetCover, 0, "month").(string)
			if t, err := calmonth.Parse(month); err == nil {
				text = fmt.Sprintf("%s%s（%d年%d月）", city, s.name, t.Year(), t.Month())
			}
		}
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: titleStyle, Value: text}}); err != nil {
			return err
		}
		if err := sw.MergeCell("A1", last); err != nil {
			return err
		}
	}
	vals := make([]any, len(s.cols)+off)
	if seq {
		vals[0] = excelize.Cell{StyleID: hdr, Value: "序号"}
	}
	for i := range s.cols {
		vals[i+off] = excelize.Cell{StyleID: hdr, Value: st.header(s, i)}
	}
	cell, _ := excelize.CoordinatesToCellName(1, row)
	if err := sw.SetRow(cell, vals); err != nil {
		return err
	}
	for n, r := range s.rows {
		row++
		vals = vals[:len(r)+off]
		if seq {
			vals[0] = n + 1
		}
		for i, v := range r {
			vals[i+off] = wb.cellValue(s, i, v, dateStyle)
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func (wb *workbook) cellValue(s *sheet, i int, v any, dateStyle int) any {
	st := wb.style
	switch v := v.(type) {
	case dateCell:
		if st.textDates {
			return v.Format("2006/1/2")
		}
		return excelize.Cell{StyleID: dateStyle, Value: float64(v.Sub(excelEpoch) / (24 * time.Hour))}
	case string:
		if st.aliases && i < len(s.keys) {
			if a, ok := valueAliases[s.keys[i]][v]; ok {
				return a
			}
		}
		if st.aliases && s.key == spec.SheetCover && i == 1 {
			// The clerk writes 沈阳 for 沈阳市 and 2026年10月 for 2026-10.
			if t, err := calmonth.Parse(v); err == nil {
				return fmt.Sprintf("%d年%d月", t.Year(), t.Month())
			}
		}
	}
	return v
}

// writeFile writes data to path through a temporary file, so that a file
// at path is always whole.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data)
}

// sortedZip is the zip writer given to excelize: it compresses each entry
// as it comes and writes them in name order on Close, so that the bytes of
// a file do not depend on Go's map order. Every entry is stamped with the
// same time (the 填报日期), never the clock.
type sortedZip struct {
	w       io.Writer
	mod     time.Time
	entries []*zipEntry
	cur     *zipEntry
	fw      *flate.Writer
}

type zipEntry struct {
	name string
	comp bytes.Buffer
	crc  uint32
	size uint64
	fw   *flate.Writer
}

func (e *zipEntry) Write(p []byte) (int, error) {
	e.crc = crc32.Update(e.crc, crc32.IEEETable, p)
	e.size += uint64(len(p))
	return e.fw.Write(p)
}

func (z *sortedZip) finish() error {
	if z.cur == nil {
		return nil
	}
	err := z.cur.fw.Close()
	z.cur = nil
	return err
}

func (z *sortedZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	e := &zipEntry{name: name}
	if z.fw == nil {
		fw, err := flate.NewWriter(&e.comp, flate.BestSpeed)
		if err != nil {
			return nil, err
		}
		z.fw = fw
	} else {
		z.fw.Reset(&e.comp)
	}
	e.fw = z.fw
	z.entries = append(z.entries, e)
	z.cur = e
	return e, nil
}

func (z *sortedZip) AddFS(fs.FS) error { return errors.New("gen: AddFS is not supported") }

func (z *sortedZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	slices.SortFunc(z.entries, func(a, b *zipEntry) int { return strings.Compare(a.name, b.name) })
	zw := zip.NewWriter(z.w)
	for _, e := range z.entries {
		// CreateRaw takes the MS-DOS time fields as they are.
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: e.name, Method: zip.Deflate,
			ModifiedDate: uint16((z.mod.Year()-1980)<<9 | int(z.mod.Month())<<5 | z.mod.Day()),
			ModifiedTime: uint16(9<<11 | 30<<5),
			CRC32:        e.crc, CompressedSize64: uint64(e.comp.Len()), UncompressedSize64: e.size,
		})
		if err != nil {
			return err
		}
		if _, err := w.Write(e.comp.Bytes()); err != nil {
			return err
		}
	}
	return zw.Close()
}
