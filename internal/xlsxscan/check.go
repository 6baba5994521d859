package xlsxscan

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// CheckSheet reads the named sheet's XML to its end with encoding/xml and
// checks only its structure: nesting no deeper than MaxDepth (ErrDepth),
// rows and cells in order (*OrderError). It is for a caller that reads the
// sheet with another reader (the excelize fallback), which checks neither:
// it must not be handed a file the scanner would refuse as hostile, nor
// one whose rows it would silently drop or shift. It reads what Rows
// cannot (any cell type, DTD-free markup of every kind), at about
// encoding/xml's speed.
func (b *Book) CheckSheet(ctx context.Context, sheet string) (Structure, error) {
	info, err := b.sheet(sheet)
	if err != nil {
		return Structure{}, err
	}
	f := b.parts[partKey(info.Part)]
	if f.UncompressedSize64 > uint64(b.lim.MaxSheet) {
		return Structure{}, fmt.Errorf("%w: sheet %q is %d bytes, more than %d", ErrLimit, sheet, f.UncompressedSize64, b.lim.MaxSheet)
	}
	rc, err := f.Open()
	if err != nil {
		return Structure{}, fmt.Errorf("%w: sheet %q: %w", ErrMalformed, sheet, err)
	}
	defer rc.Close()
	st, err := CheckStructure(ctx, rc)
	if err != nil {
		return st, fmt.Errorf("sheet %q: %w", sheet, err)
	}
	return st, nil
}

// Structure is what CheckStructure learns of a sheet on the way.
type Structure struct {
	// LastRow is the last row with a cell that has a value or a formula
	// (0 for none): a reader may stop there, so that rows that are only
	// styled, down to the last row of the grid, cost it nothing.
	LastRow int
}

// CheckStructure is CheckSheet on the XML of a worksheet part.
func CheckStructure(ctx context.Context, r io.Reader) (Structure, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	var (
		depth     int
		dataDepth = -1 // depth of <sheetData>, -1 outside it
		row, col  int  // the current row and the last cell's column
		tokens    int
		st        Structure
	)
	for {
		if tokens++; tokens&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return st, nil
		}
		if err != nil {
			return st, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > MaxDepth {
				return st, fmt.Errorf("%w: deeper than %d", ErrDepth, MaxDepth)
			}
			switch {
			case dataDepth < 0 && t.Name.Local == "sheetData":
				dataDepth = depth
			case dataDepth > 0 && depth == dataDepth+1 && t.Name.Local == "row":
				num := row + 1
				if v, ok := attr(t, "r"); ok {
					n, err := strconv.Atoi(v)
					if err != nil || n < 1 || n > maxRows {
						return st, fmt.Errorf("%w: row number %q", ErrMalformed, clip([]byte(v)))
					}
					num = n
				}
				if num <= row {
					return st, &OrderError{Row: num, Prev: row}
				}
				row, col = num, 0
			case dataDepth > 0 && depth == dataDepth+2 && t.Name.Local == "c":
				c := col + 1
				if v, ok := attr(t, "r"); ok {
					cc, rr, ok := cellRef([]byte(v))
					if !ok {
						return st, fmt.Errorf("%w: cell reference %q", ErrMalformed, clip([]byte(v)))
					}
					if rr != row || cc <= col {
						return st, &OrderError{Row: row, Cell: clip([]byte(v))}
					}
					c = cc
				}
				if c > maxCols {
					return st, fmt.Errorf("%w: more than %d columns in row %d", ErrMalformed, maxCols, row)
				}
				col = c
			case dataDepth > 0 && depth == dataDepth+3 && (t.Name.Local == "v" || t.Name.Local == "is" || t.Name.Local == "f"):
				st.LastRow = row
			}
		case xml.EndElement:
			if depth == dataDepth {
				dataDepth = -1
			}
			depth--
		}
	}
}

func attr(t xml.StartElement, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// cellName is the reference of a cell (column and row numbers, 1-based).
func cellName(col, row int) string {
	var b []byte
	for col > 0 {
		col--
		b = append([]byte{byte('A' + col%26)}, b...)
		col /= 26
	}
	return string(b) + strconv.Itoa(row)
}
