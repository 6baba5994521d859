package read

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"strings"

	"ufa/ingest/model"
	"ufa/internal/spec"
	"ufa/internal/xlsxscan"
)

// rdMsgDepth is the E_FILE message of markup nested past
// xlsxscan.MaxDepth: a file made to exhaust a reader, never one Excel or
// WPS writes.
var rdMsgDepth = fmt.Sprintf("工作表的 XML 嵌套超过 %d 层，超过安全上限，不予读取（Excel 和 WPS 不会写出这样的文件，文件可能被篡改）：请在 Excel 或 WPS 中打开后“另存为”新的 .xlsx 文件；如无法打开，请把数据复制到模板后再校验。", xlsxscan.MaxDepth)

// rdOrderFinding is the E_FILE of rows or cells out of order
// (xlsxscan.ErrOrder), naming the sheet and row: read on, such a sheet
// would lose or shift rows without a word.
func rdOrderFinding(err error) []model.Finding {
	var oe *xlsxscan.OrderError
	var se *rdSheetError
	sheet := ""
	if errors.As(err, &se) {
		sheet = se.sheet
	}
	f := model.Finding{Severity: model.Error, Code: "E_FILE", Sheet: sheet}
	where := "工作表"
	if sheet != "" {
		where = "工作表“" + sheet + "”"
	}
	switch {
	case !errors.As(err, &oe):
		f.Message = where + "中的行或单元格顺序错乱，读取时会丢失或错位数据：" + rdMsgResave
	case oe.Cell != "":
		f.Row = oe.Row
		f.Message = fmt.Sprintf("%s第 %d 行的单元格 %s 位置错乱（重复或排在前面的单元格之后），读取时会错位：%s", where, oe.Row, oe.Cell, rdMsgResave)
	default:
		f.Row = oe.Row
		f.Message = fmt.Sprintf("%s的第 %d 行出现在第 %d 行之后（行号重复或倒序），读取时会丢失数据：%s", where, oe.Row, oe.Prev, rdMsgResave)
	}
	return []model.Finding{f}
}

// rdMsgResave ends the messages of sheets Excel would not have written.
const rdMsgResave = "这种文件不是 Excel 或 WPS 写出的，多见于其他软件导出或被改动过的文件；请在 Excel 或 WPS 中打开后“另存为”新的 .xlsx 文件再校验。"

// rdCheckSheets checks, before excelize reads a file, the structure of
// every worksheet part (xlsxscan.CheckStructure): nesting depth and row
// and cell order, which excelize does not check (it spends gigabytes on
// deep nesting and drops or shifts rows out of order). nil when they
// pass. The sheet is named by the workbook when xlsxscan can open it,
// else by its part. It returns the last row with a value of each sheet
// it could name (xlsxscan.Structure), for the reader to stop at.
func rdCheckSheets(ctx context.Context, book *spec.Book, path string) (map[string]int, []model.Finding) {
	// Only the sheets the reader reads, when the workbook's list can be
	// read: a fault in a sheet of the city's own changes nothing read.
	var names map[string]string // part (lower case) -> sheet name
	if bk, err := xlsxscan.OpenFile(ctx, path, rdLimits()); err == nil {
		sheets := bk.Sheets()
		all := make([]string, len(sheets))
		for i, s := range sheets {
			all[i] = s.Name
		}
		read := map[string]bool{}
		for _, n := range rdMatchSheets(book, all) {
			read[n] = true
		}
		names = map[string]string{}
		for _, s := range sheets {
			if s.Part != "" && read[s.Name] {
				names[strings.ToLower(strings.TrimPrefix(s.Part, "/"))] = s.Name
			}
		}
		bk.Close()
	}
	last := map[string]int{}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, rdFileFinding(rdMsgCorrupt)
	}
	defer zr.Close()
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		if !strings.Contains(name, "worksheets/") || !strings.HasSuffix(name, ".xml") {
			continue
		}
		sheet, ok := names[name]
		switch {
		case names == nil:
			sheet = f.Name
		case !ok:
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, rdFileFinding(rdMsgCorrupt)
		}
		st, err := xlsxscan.CheckStructure(ctx, rc)
		rc.Close()
		if names != nil {
			last[sheet] = st.LastRow
		}
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return nil, rdFileFinding(rdMsgCancelled)
		case errors.Is(err, xlsxscan.ErrOrder):
			return nil, rdOrderFinding(&rdSheetError{sheet: sheet, err: err})
		case errors.Is(err, xlsxscan.ErrDepth):
			return nil, rdFileFinding(rdMsgDepth)
		default:
			return nil, rdFileFinding(rdMsgSheet(sheet))
		}
	}
	return last, nil
}
