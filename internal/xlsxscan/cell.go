package xlsxscan

// Type is the type a cell declares (its t attribute).
type Type uint8

// The cell types of SpreadsheetML.
const (
	TypeNumber Type = iota // t="n" or no t: the number as written
	TypeShared             // t="s": Value is the shared string
	TypeInline             // t="inlineStr": Value is the inline string (or <v> without <is>)
	TypeString             // t="str": a formula's text result
	TypeBool               // t="b": "0" or "1"
	TypeError              // t="e": "#N/A", "#DIV/0!"...
	TypeDate               // t="d": an ISO 8601 date as written
)

var typeNames = [...]string{"n", "s", "inlineStr", "str", "b", "e", "d"}

// String returns the t attribute of the type.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "?"
}

// Cell is one cell of a row, as excelize's Rows iterator with
// RawCellValue gives it: shared strings resolved, inline and rich-text
// strings joined, _xHHHH_ escapes of strings decoded, numbers, dates and
// booleans as written (no number format applied, serial dates stay
// serials). Text is not trimmed: xml:space is not applied.
type Cell struct {
	Col     int  // 1-based column number (A = 1)
	Type    Type // the declared type
	Formula bool // the cell has a formula (Value is its cached result)
	// Value is the raw value. It points into the scanner's buffers and is
	// valid only until the function given to Rows returns: copy it (or
	// use String) to keep it, and never modify it.
	Value []byte
	str   string // TypeShared: the shared string itself
}

// String returns the value as a string. For a shared string it is the
// table's own string, without allocating.
func (c *Cell) String() string {
	if c.Type == TypeShared {
		return c.str
	}
	return string(c.Value)
}

// Strings appends the row to dst[:0] positionally, exactly as excelize's
// Rows.Columns(Options{RawCellValue: true}) returns it: index Col-1 holds
// each cell, gaps are "", and the slice ends at the last cell.
func Strings(dst []string, cells []Cell) []string {
	dst = dst[:0]
	for i := range cells {
		for len(dst) < cells[i].Col-1 {
			dst = append(dst, "")
		}
		dst = append(dst, cells[i].String())
	}
	return dst
}
