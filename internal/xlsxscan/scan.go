package xlsxscan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Excel's grid.
const (
	maxRows = 1 << 20
	maxCols = 1 << 14
)

// Sizes of the scanner's window: it starts at the part's size up to
// minWindow..defWindow and doubles, up to Limits.MaxRowBytes, only for a
// row that does not fit.
const (
	minWindow = 4 << 10
	defWindow = 1 << 20
)

// scanner streams one worksheet part. It keeps a window buf[pos:end] of
// the inflated XML and parses one row at a time inside it; when a row
// runs past the end of the window it reads more and parses the row again
// from its start, so the parsing code never deals with a row split across
// reads.
type scanner struct {
	parser
	src      io.Reader
	buf      []byte
	pos, end int
	eof      bool
	maxBuf   int

	shared  func() (*sharedStrings, error) // loads the table on first use
	strs    *sharedStrings
	dataQ   []byte // the qualified name of <sheetData>, owned
	cells   []Cell
	row     int  // number of the last row read
	noData  bool // <sheetData/>
	started bool // past the byte-order mark
}

func newScanner(src io.Reader, size uint64, maxBuf int, shared func() (*sharedStrings, error)) *scanner {
	n := defWindow
	if size+1 < uint64(n) {
		n = max(int(size)+1, minWindow)
	}
	n = min(n, maxBuf)
	return &scanner{
		parser: parser{arena: make([]byte, 0, n)},
		src:    src, buf: make([]byte, n), maxBuf: maxBuf, shared: shared,
	}
}

// fill reads more of the part into the window, moving the unread bytes
// to its start and doubling it when they fill it.
func (s *scanner) fill() error {
	if s.eof {
		return malformedf("the part ends inside an element")
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= s.maxBuf {
			return fmt.Errorf("%w: a row larger than %d bytes", ErrLimit, s.maxBuf)
		}
		n := min(2*len(s.buf), s.maxBuf)
		buf := make([]byte, n)
		copy(buf, s.buf[:s.end])
		s.buf = buf
		s.arena = make([]byte, 0, n)
	}
	for empty := 0; s.end < len(s.buf); {
		n, err := s.src.Read(s.buf[s.end:])
		s.end += n
		switch {
		case errors.Is(err, io.EOF):
			s.eof = true
			return nil
		case err != nil:
			return fmt.Errorf("%w: %w", ErrMalformed, err)
		case n == 0:
			if empty++; empty > 100 {
				return fmt.Errorf("%w: %w", ErrMalformed, io.ErrNoProgress)
			}
		}
	}
	return nil
}

// run reads the rows, calling fn for each row with at least one cell.
func (s *scanner) run(ctx context.Context, fn func(row int, cells []Cell) error) error {
	found, err := s.prolog()
	if err != nil || !found {
		return err
	}
	if !s.noData {
		for n := 1; ; n++ {
			if n&1023 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			done, row, err := s.step()
			if err != nil {
				return err
			}
			if done {
				break
			}
			if row && len(s.cells) > 0 {
				if err := fn(s.row, s.cells); err != nil {
					if errors.Is(err, ErrStop) {
						return nil
					}
					return err
				}
			}
		}
	}
	return s.drain()
}

// drain reads the rest of the part so that the zip reader checks its
// CRC: a damaged sheet must not pass for a short one.
func (s *scanner) drain() error {
	if s.eof {
		return nil
	}
	if _, err := io.Copy(io.Discard, s.src); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	s.eof = true
	return nil
}

// step parses the next item inside <sheetData>: a row (row == true), or
// white space or a comment, or the end of the sheet data (done == true).
func (s *scanner) step() (done, row bool, err error) {
	for {
		n, done, row, err := s.item(s.buf[s.pos:s.end])
		if err == errShort {
			if err := s.fill(); err != nil {
				return false, false, err
			}
			continue
		}
		if err != nil {
			return false, false, err
		}
		s.pos += n
		return done, row, nil
	}
}

func (s *scanner) item(b []byte) (n int, done, row bool, err error) {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i > 0 {
		return i, false, false, nil
	}
	if len(b) < 2 {
		return 0, false, false, errShort
	}
	if b[0] != '<' {
		return 0, false, false, unsupportedf("text inside <sheetData>")
	}
	switch b[1] {
	case '/':
		j, err := endTag(b, 0, s.dataQ)
		return j, true, false, err
	case '!', '?':
		cd, err := cdataStart(b, 0)
		if err != nil {
			return 0, false, false, err
		}
		if cd {
			return 0, false, false, unsupportedf("CDATA inside <sheetData>")
		}
		j, ok, err := skipMarkup(b, 0)
		if err == nil && !ok {
			err = unsupportedf("declaration inside <sheetData>")
		}
		return j, false, false, err
	}
	k, err := nameEnd(b, 1)
	if err != nil {
		return 0, false, false, err
	}
	if !isLocal(b[1:k], "row") {
		// Not in the schema, but written by some (an <autoFilter> inside
		// <sheetData>); excelize passes over it.
		j, err := s.skip(b, 0, "c", "row")
		return j, false, false, err
	}
	j, err := s.parseRow(b, k)
	return j, false, true, err
}

// parseRow parses the row whose start tag is at b[0], its name ending at
// b[k]. s.row and the cells change only when the whole row is parsed.
func (s *scanner) parseRow(b []byte, k int) (int, error) {
	q := b[1:k]
	num := 0
	j := k
	var end byte
	for {
		var name, val []byte
		var err error
		name, val, j, end, err = nextAttr(b, j)
		if err != nil {
			return 0, err
		}
		if end != attrFound {
			break
		}
		if isLocal(name, "r") {
			if val, err = attrValue(s.scratch, val); err != nil {
				return 0, err
			}
			n, ok := atoi(val)
			if !ok || n < 1 {
				return 0, unsupportedf("row number %q", clip(val))
			}
			num = n
		}
	}
	switch {
	case num == 0:
		num = s.row + 1
	case num <= s.row:
		return 0, &OrderError{Row: num, Prev: s.row}
	}
	if num > maxRows {
		return 0, unsupportedf("row %d beyond the last row of a sheet", num)
	}
	s.cells = s.cells[:0]
	s.arena = s.arena[:0]
	if end == tagEmpty {
		s.row = num
		return j, nil
	}
	col := 0
	for {
		ci, ck, err := child(b, j, q)
		if err != nil {
			return 0, err
		}
		if ck == 0 {
			s.row = num
			return ci, nil
		}
		if isLocal(b[ci+1:ck], "c") {
			j, col, err = s.parseCell(b, ci, ck, num, col)
		} else {
			j, err = s.skip(b, ci, "c", "row")
		}
		if err != nil {
			return 0, err
		}
	}
}

// parseCell parses the cell whose start tag is at b[i], its name ending
// at b[k], in row num after column prev; it appends the cell to s.cells
// when it has a value or a formula (as excelize keeps it) and returns its
// column.
func (s *scanner) parseCell(b []byte, i, k, num, prev int) (int, int, error) {
	q := b[i+1 : k]
	col := 0
	typ := TypeNumber
	j := k
	var end byte
	for {
		var name, val []byte
		var err error
		name, val, j, end, err = nextAttr(b, j)
		if err != nil {
			return 0, 0, err
		}
		if end != attrFound {
			break
		}
		switch {
		case isLocal(name, "r"):
			if val, err = attrValue(s.scratch, val); err != nil {
				return 0, 0, err
			}
			c, r, ok := cellRef(val)
			if !ok {
				return 0, 0, unsupportedf("cell reference %q", clip(val))
			}
			if r != num {
				return 0, 0, &OrderError{Row: num, Prev: s.row, Cell: clip(val)}
			}
			col = c
		case isLocal(name, "t"):
			if val, err = attrValue(s.scratch, val); err != nil {
				return 0, 0, err
			}
			var ok bool
			if typ, ok = cellType(val); !ok {
				return 0, 0, unsupportedf("cell type %q", clip(val))
			}
		}
	}
	switch {
	case col == 0:
		col = prev + 1
		if col > maxCols {
			return 0, 0, unsupportedf("more than %d columns in row %d", maxCols, num)
		}
	case col <= prev:
		return 0, 0, &OrderError{Row: num, Prev: s.row, Cell: cellName(col, num)}
	}
	if end == tagEmpty {
		return j, col, nil
	}
	var v, is []byte
	hasIS, hasF := false, false
	for {
		ci, ck, err := child(b, j, q)
		if err != nil {
			return 0, 0, err
		}
		if ck == 0 {
			j = ci
			break
		}
		name := b[ci+1 : ck]
		switch {
		case isLocal(name, "v"):
			v, j, err = s.elemText(b, ci, ck)
		case isLocal(name, "is"):
			hasIS = true
			is, j, err = s.richText(b, ci, ck)
		case isLocal(name, "f"):
			hasF = true
			j, s.stack, err = skipElement(b, ci, s.stack)
		default:
			j, err = s.skip(b, ci, "v", "f", "is")
		}
		if err != nil {
			return 0, 0, err
		}
	}
	c := Cell{Col: col, Type: typ, Formula: hasF, Value: v}
	switch {
	case typ == TypeShared && len(v) > 0:
		idx, ok := atoi(bytes.TrimSpace(v))
		if !ok {
			return 0, 0, unsupportedf("shared string index %q", clip(v))
		}
		if s.strs == nil {
			var err error
			if s.strs, err = s.shared(); err != nil {
				return 0, 0, err
			}
		}
		var found bool
		if c.Value, c.str, found = s.strs.get(idx); !found {
			return 0, 0, unsupportedf("shared string %d of %d", idx, s.strs.len())
		}
	case typ == TypeInline && hasIS:
		c.Value = is
	}
	if len(c.Value) > 0 || hasF {
		s.cells = append(s.cells, c)
	}
	return j, col, nil
}

// skip skips an element the scanner does not read, starting at b[i]. If
// it holds an element with one of the local names, which excelize would
// read as part of the row or cell, it is ErrUnsupported.
func (s *scanner) skip(b []byte, i int, names ...string) (int, error) {
	j, stack, err := skipElement(b, i, s.stack)
	s.stack = stack
	if err != nil {
		return 0, err
	}
	if hasElement(b[i+1:j], names...) {
		return 0, unsupportedf("<%s> holding cells or values", clip(b[i+1:j]))
	}
	return j, nil
}

// atoi parses a non-negative decimal number of at most 9 digits.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// cellRef parses a cell reference such as B12 (or b12, $B$12), as
// excelize's CellNameToCoordinates accepts it.
func cellRef(b []byte) (col, row int, ok bool) {
	i := 0
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A'+1)
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a'+1)
		case c == '$':
			continue
		default:
			goto digits
		}
		if col > maxCols {
			return 0, 0, false
		}
	}
digits:
	if col == 0 {
		return 0, 0, false
	}
	row, ok = atoi(b[i:])
	if !ok || row < 1 || row > maxRows {
		return 0, 0, false
	}
	return col, row, true
}

func cellType(b []byte) (Type, bool) {
	switch string(b) {
	case "", "n":
		return TypeNumber, true
	case "s":
		return TypeShared, true
	case "inlineStr":
		return TypeInline, true
	case "str":
		return TypeString, true
	case "b":
		return TypeBool, true
	case "e":
		return TypeError, true
	case "d":
		return TypeDate, true
	}
	return 0, false
}

// prolog reads up to the start of <sheetData>. found is false when the
// part has none (no rows).
func (s *scanner) prolog() (found bool, err error) {
	for {
		b := s.buf[s.pos:s.end]
		n, found, err := s.prologItem(b)
		if err == errShort {
			if s.eof && len(b) == 0 {
				return false, nil
			}
			if err := s.fill(); err != nil {
				return false, err
			}
			continue
		}
		if err != nil {
			return false, err
		}
		s.pos += n
		if found {
			return true, nil
		}
	}
}

func (s *scanner) prologItem(b []byte) (n int, found bool, err error) {
	if !s.started {
		if len(b) < 3 && !s.eof {
			return 0, false, errShort
		}
		s.started = true
		switch {
		case bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")):
			return 3, false, nil
		case bytes.HasPrefix(b, []byte("\xFE\xFF")), bytes.HasPrefix(b, []byte("\xFF\xFE")):
			return 0, false, unsupportedf("UTF-16 XML")
		}
	}
	if len(b) == 0 {
		return 0, false, errShort
	}
	if b[0] != '<' {
		e := bytes.IndexByte(b, '<')
		if e < 0 {
			if s.eof {
				return len(b), false, nil
			}
			return 0, false, errShort
		}
		return e, false, nil
	}
	if len(b) < 2 {
		return 0, false, errShort
	}
	switch b[1] {
	case '/':
		e := bytes.IndexByte(b, '>')
		if e < 0 {
			return 0, false, errShort
		}
		return e + 1, false, nil
	case '?':
		j, _, err := skipMarkup(b, 0)
		if err != nil {
			return 0, false, err
		}
		return j, false, checkDecl(b[:j])
	case '!':
		cd, err := cdataStart(b, 0)
		if err != nil {
			return 0, false, err
		}
		if cd {
			e := bytes.Index(b[9:], []byte("]]>"))
			if e < 0 {
				return 0, false, errShort
			}
			return 9 + e + 3, false, nil
		}
		j, ok, err := skipMarkup(b, 0)
		if err == nil && !ok {
			err = unsupportedf("DOCTYPE or declaration in a worksheet")
		}
		return j, false, err
	}
	k, err := nameEnd(b, 1)
	if err != nil {
		return 0, false, err
	}
	j, empty, err := startTagEnd(b, k)
	if err != nil {
		return 0, false, err
	}
	if isLocal(b[1:k], "sheetData") {
		s.dataQ = append(s.dataQ[:0], b[1:k]...)
		s.noData = empty
		return j, true, nil
	}
	return j, false, nil
}

// checkDecl refuses an XML declaration naming an encoding other than
// UTF-8 (encoding/xml, hence excelize, needs a charset reader for it).
func checkDecl(pi []byte) error {
	if !bytes.HasPrefix(pi, []byte("<?xml")) || len(pi) < 6 || !isSpace(pi[5]) {
		return nil
	}
	k := bytes.Index(pi, []byte("encoding"))
	if k < 0 {
		return nil
	}
	rest := bytes.TrimLeft(pi[k+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return nil
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return nil
	}
	e := bytes.IndexByte(rest[1:], rest[0])
	if e < 0 {
		return nil
	}
	enc := rest[1 : 1+e]
	if !bytes.EqualFold(enc, []byte("utf-8")) {
		return unsupportedf("encoding %s", strconv.Quote(string(enc)))
	}
	return nil
}
