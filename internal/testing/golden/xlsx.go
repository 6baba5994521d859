package golden

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// XLSX is a dump for CheckBinary: every sheet in order with its visibility,
// merged cells, data validations, and each non-empty or styled cell with its
// value, number format, fill, bold font, hyperlink and comment, one line each.
func XLSX(b []byte) (string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	defer f.Close()
	var out strings.Builder
	comments := map[string]map[string]string{}
	for _, sheet := range f.GetSheetList() {
		cs, err := f.GetComments(sheet)
		if err != nil {
			return "", fmt.Errorf("%s: comments: %w", sheet, err)
		}
		m := map[string]string{}
		for _, c := range cs {
			var t strings.Builder
			for _, p := range c.Paragraph {
				t.WriteString(p.Text)
			}
			if t.Len() == 0 {
				t.WriteString(c.Text)
			}
			m[c.Cell] = t.String()
		}
		comments[sheet] = m
	}
	for _, sheet := range f.GetSheetList() {
		visible, _ := f.GetSheetVisible(sheet)
		fmt.Fprintf(&out, "== sheet %q visible=%v\n", sheet, visible)
		if merged, err := f.GetMergeCells(sheet); err == nil {
			for _, m := range merged {
				fmt.Fprintf(&out, "merge %s:%s\n", m.GetStartAxis(), m.GetEndAxis())
			}
		}
		if dvs, err := f.GetDataValidations(sheet); err == nil {
			for _, dv := range dvs {
				fmt.Fprintf(&out, "validation %s type=%s op=%s f1=%q f2=%q\n", dv.Sqref, dv.Type, dv.Operator, dv.Formula1, dv.Formula2)
			}
		}
		panes, _ := f.GetPanes(sheet)
		if panes.Freeze {
			fmt.Fprintf(&out, "freeze %s\n", panes.TopLeftCell)
		}
		rows, err := f.Rows(sheet)
		if err != nil {
			return "", fmt.Errorf("%s: %w", sheet, err)
		}
		r := 0
		for rows.Next() {
			r++
			cols, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return "", fmt.Errorf("%s row %d: %w", sheet, r, err)
			}
			for c := range max(len(cols), 1) {
				ref, _ := excelize.CoordinatesToCellName(c+1, r)
				v := ""
				if c < len(cols) {
					v = cols[c]
				}
				style := styleText(f, sheet, ref)
				link := ""
				if ok, target, _ := f.GetCellHyperLink(sheet, ref); ok {
					link = " link=" + target
				}
				comment := ""
				if t, ok := comments[sheet][ref]; ok {
					comment = fmt.Sprintf(" comment=%q", t)
				}
				if v == "" && style == "" && link == "" && comment == "" {
					continue
				}
				fmt.Fprintf(&out, "%s %q%s%s%s\n", ref, v, style, link, comment)
			}
		}
		if err := rows.Close(); err != nil {
			return "", err
		}
	}
	return out.String(), nil
}

// styleText names what a cell's style shows: fill colour, bold, number format.
func styleText(f *excelize.File, sheet, ref string) string {
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil || id == 0 {
		return ""
	}
	st, err := f.GetStyle(id)
	if err != nil || st == nil {
		return ""
	}
	var parts []string
	if len(st.Fill.Color) > 0 && st.Fill.Pattern > 0 {
		parts = append(parts, "fill="+strings.Join(st.Fill.Color, ","))
	}
	if st.Font != nil && st.Font.Bold {
		parts = append(parts, "bold")
	}
	if st.NumFmt != 0 {
		parts = append(parts, fmt.Sprintf("numfmt=%d", st.NumFmt))
	}
	if st.CustomNumFmt != nil {
		parts = append(parts, "fmt="+*st.CustomNumFmt)
	}
	if len(parts) == 0 {
		return ""
	}
	slices.Sort(parts)
	return " [" + strings.Join(parts, " ") + "]"
}
