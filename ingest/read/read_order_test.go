package read

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"ufa/ingest/internal/ingesttest"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/internal/xlsxscan"
)

// TestReadOrder: a row number used twice or going backwards, or a cell
// out of order in its row, is one E_FILE naming the sheet and the row, on
// the fast path and on the excelize fallback alike (the fallback is forced
// by a cell type the fast path does not read, placed before the fault).
func TestReadOrder(t *testing.T) {
	book := spec.Load()
	unknown := `<c r="ZZ1" t="x"><v>1</v></c>` // sends the file to excelize
	for _, c := range []struct {
		name  string
		edit  func(sheet string) string
		row   int
		inMsg string
	}{
		{"row repeated", func(s string) string {
			// Row 3 written again after row 3.
			row3 := regexp.MustCompile(`<row r="3"[^>]*>.*?</row>`).FindString(s)
			return strings.Replace(s, row3, row3+row3, 1)
		}, 3, "第 3 行出现在第 3 行之后"},
		{"rows backwards", func(s string) string {
			row2 := regexp.MustCompile(`<row r="2"[^>]*>.*?</row>`).FindString(s)
			row3 := regexp.MustCompile(`<row r="3"[^>]*>.*?</row>`).FindString(s)
			s = strings.Replace(s, row2, "@2@", 1)
			s = strings.Replace(s, row3, row2, 1)
			return strings.Replace(s, "@2@", row3, 1)
		}, 2, "第 2 行出现在第 3 行之后"},
		{"cell before its left neighbour", func(s string) string {
			re := regexp.MustCompile(`(<c r="B3"[^>]*?(?:/>|>.*?</c>))(<c r="C3"[^>]*?(?:/>|>.*?</c>))`)
			if !re.MatchString(s) {
				panic("no B3 C3")
			}
			return re.ReplaceAllString(s, "$2$1")
		}, 3, "单元格 B3 位置错乱"},
	} {
		for _, fallback := range []bool{false, true} {
			name := c.name
			if fallback {
				name += ", fallback"
			}
			t.Run(name, func(t *testing.T) {
				b := testbook.Valid()
				p := ingesttest.Write(t, b)
				part := rdSheetPart(b, "社会组织")
				rdRewrite(t, p, func(n string, data []byte) []byte {
					if n != part {
						return data
					}
					s := c.edit(string(data))
					if fallback {
						// In row 1, before any fault.
						s = strings.Replace(s, "</row>", unknown+"</row>", 1)
					}
					return []byte(s)
				})
				_, _, err := rdReadFast(context.Background(), book, p)
				if fallback != rdFallback(context.Background(), err) {
					t.Fatalf("fast path: %v; fallback %v", err, !fallback)
				}
				wb, fs := Read(context.Background(), book, p)
				if wb != nil || len(fs) != 1 || fs[0].Code != "E_FILE" || fs[0].Row != c.row ||
					!strings.Contains(fs[0].Message, "工作表“社会组织”") || !strings.Contains(fs[0].Message, c.inMsg) {
					t.Fatalf("read %v:%s\nwant one E_FILE on 社会组织 row %d with %q", wb != nil, ingesttest.Dump(fs), c.row, c.inMsg)
				}
			})
		}
	}
}

// TestReadDepth: a cell nested far past xlsxscan.MaxDepth (a small file
// that would cost excelize gigabytes) is one E_FILE of the limits, never
// read by the fallback: neither when the fast path meets the depth itself
// nor when it gives up earlier on something it does not read.
func TestReadDepth(t *testing.T) {
	book := spec.Load()
	deep := strings.Repeat("<x>", 200000) + strings.Repeat("</x>", 200000)
	for _, c := range []struct{ name, cells string }{
		{"fast path", `<c r="B2" t="inlineStr"><is><t>甲协会</t></is></c>` + deep},
		{"after an unknown cell type", `<c r="B2" t="x"><v>甲协会</v></c>` + deep},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := testbook.Valid()
			p := ingesttest.Write(t, b)
			rdSetCellXML(t, p, rdSheetPart(b, "社会组织"), "B2", c.cells)
			wb, fs := Read(context.Background(), book, p)
			if wb != nil || len(fs) != 1 || fs[0].Code != "E_FILE" || fs[0].Message != rdMsgDepth {
				t.Fatalf("read %v:%s\nwant the E_FILE of the depth", wb != nil, ingesttest.Dump(fs))
			}
		})
	}
	_ = xlsxscan.MaxDepth
}
