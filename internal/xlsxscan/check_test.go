package xlsxscan

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestOrderRefused: a row number used twice or going backwards, or a cell
// out of order in its row, is ErrOrder naming the row — final, never a
// fallback — on the scanner and on CheckStructure alike.
func TestOrderRefused(t *testing.T) {
	tests := []struct {
		name string
		rows string
		row  int
		cell string
	}{
		{"rows going backwards", `<row r="2"><c><v>1</v></c></row><row r="1"><c><v>1</v></c></row>`, 1, ""},
		{"repeated row", `<row r="2"><c><v>1</v></c></row><row r="2"><c><v>1</v></c></row>`, 2, ""},
		{"repeated empty row", `<row r="2"/><row r="2"/>`, 2, ""},
		{"implicit number after a later row", `<row r="5"><c><v>1</v></c></row><row r="3"/>`, 3, ""},
		{"cells out of order", `<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>1</v></c></row>`, 1, "A1"},
		{"cell used twice", `<row r="1"><c r="B1"><v>1</v></c><c r="B1"><v>2</v></c></row>`, 1, "B1"},
		{"implicit cell after the last column", `<row r="3"><c r="C3"><v>1</v></c><c r="B3"><v>1</v></c></row>`, 3, "B3"},
		{"cell in another row", `<row r="1"><c r="A2"><v>1</v></c></row>`, 1, "A2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sheet := sheetXML(tt.rows)
			check := func(who string, err error) {
				t.Helper()
				var oe *OrderError
				switch {
				case !errors.Is(err, ErrOrder) || !errors.As(err, &oe):
					t.Fatalf("%s: err = %v, want ErrOrder", who, err)
				case errors.Is(err, ErrUnsupported):
					t.Errorf("%s: ErrOrder must not be ErrUnsupported (no fallback)", who)
				case oe.Row != tt.row || oe.Cell != tt.cell:
					t.Errorf("%s: row %d cell %q, want row %d cell %q", who, oe.Row, oe.Cell, tt.row, tt.cell)
				}
			}
			_, err := scanParts(t, pkg(sheet, sstXML("a")))
			check("scanner", err)
			_, err = scanWindow(sheet, nil, 7)
			check("scanner, small window", err)
			_, err = CheckStructure(context.Background(), strings.NewReader(sheet))
			check("CheckStructure", err)
		})
	}
}

// TestOrderAccepted: what is in order passes both checks.
func TestOrderAccepted(t *testing.T) {
	for _, rows := range []string{
		`<row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>1</v></c></row><row r="3"><c><v>1</v></c><c><v>2</v></c></row>`,
		`<row><c><v>1</v></c></row><row><c><v>1</v></c></row><row r="9"/>`,
		`<row r="2"><c r="B2"><v>1</v></c><c><v>1</v></c></row>`,
	} {
		sheet := sheetXML(rows)
		if _, err := scanParts(t, pkg(sheet, sstXML("a"))); err != nil {
			t.Errorf("scanner: %s: %v", rows, err)
		}
		if _, err := CheckStructure(context.Background(), strings.NewReader(sheet)); err != nil {
			t.Errorf("CheckStructure: %s: %v", rows, err)
		}
	}
}

// TestDepthRefused: markup nested past MaxDepth, in a cell or in an
// element the scanner skips, is ErrDepth (ErrLimit), never ErrUnsupported:
// the fallback must not be handed it.
func TestDepthRefused(t *testing.T) {
	deep := func(n int) string {
		return strings.Repeat("<x>", n) + strings.Repeat("</x>", n)
	}
	for name, rows := range map[string]string{
		"in a skipped element":  `<row r="1"><c><v>1</v></c>` + deep(MaxDepth+1) + `</row>`,
		"between rows":          `<row r="1"><c><v>1</v></c></row>` + deep(100000),
		"inside a rich string":  `<row r="1"><c t="inlineStr"><is><r>` + deep(5000) + `<t>a</t></r></is></c></row>`,
		"inside an unknown row": `<row r="1"><x>` + deep(MaxDepth) + `</x></row>`,
	} {
		t.Run(name, func(t *testing.T) {
			sheet := sheetXML(rows)
			_, err := scanParts(t, pkg(sheet, sstXML("a")))
			if errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrMalformed) {
				// The scanner may stop before the depth at something else it
				// does not read; then CheckStructure must refuse the depth.
				t.Logf("scanner: %v", err)
			} else if !errors.Is(err, ErrDepth) || !errors.Is(err, ErrLimit) {
				t.Errorf("scanner: err = %v, want ErrDepth", err)
			}
			if _, err := CheckStructure(context.Background(), strings.NewReader(sheet)); !errors.Is(err, ErrDepth) {
				t.Errorf("CheckStructure: err = %v, want ErrDepth", err)
			}
		})
	}
}

// TestStructureLastRow: the last row with a value or formula, past which
// rows that are only styled need not be read.
func TestStructureLastRow(t *testing.T) {
	for rows, want := range map[string]int{
		`<row r="1"><c><v>1</v></c></row><row r="7" s="1"><c r="A7" s="2"/></row><row r="1048576" s="1"/>`:      1,
		`<row r="2"><c t="inlineStr"><is><t>a</t></is></c></row><row r="3"><c><f>1+1</f></c></row><row r="9"/>`: 3,
		`<row r="5" s="1"/>`: 0,
	} {
		st, err := CheckStructure(context.Background(), strings.NewReader(sheetXML(rows)))
		if err != nil || st.LastRow != want {
			t.Errorf("%s: last row %d (%v), want %d", rows, st.LastRow, err, want)
		}
	}
}
