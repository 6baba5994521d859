package report

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"ufa/ingest/model"
)

// The worksheet side of the annotated copy: the sheet's XML is streamed
// from the original part to the copy byte for byte; only the rows that
// hold a marked cell are parsed, and in them only the marked cells'
// start tags change (their s= attribute) or, for a marked cell the sheet
// does not have, an empty styled cell is inserted. Before the rows, the
// tab selection is taken off the sheet that was active (the 校验结果
// sheet becomes the active one); after them, the comments' legacy drawing
// is referenced. Memory: one window of the XML (1 MiB, more only for a
// row or a prolog that does not fit), whatever the sheet's size.

const (
	sheetChunk  = 1 << 20
	maxRowBytes = 64 << 20 // the prolog, one marked row, the epilogue
)

// anMark is one cell the annotation draws on.
type anMark struct {
	row, col int
	sev      model.Severity
	lines    []string
}

func (m *anMark) ref() string { return anColName(m.col) + strconv.Itoa(m.row) }

type sheetPatcher struct {
	marks     []*anMark // by row, then column
	styleFor  func(orig int, sev model.Severity) int
	clearTab  bool
	legacyRID string // the relationship to reference when the sheet has no legacy drawing; "" for none

	// Set by run:
	foundLegacy string // the r:id of the sheet's own legacyDrawing
	inserted    bool   // legacyRID was referenced

	prefix   string // of the worksheet's elements, with its colon
	relPfx   string // bound to the relationships namespace on the root, with its colon
	colStyle map[int]int
	colSpans [][3]int // min, max, style
}

// anWindow is the unread part of a stream.
type anWindow struct {
	r     io.Reader
	store []byte
	b     []byte // unconsumed bytes, a slice of store
	eof   bool
}

func (w *anWindow) more() error {
	if w.eof {
		return anUnsafef("worksheet ends early")
	}
	if len(w.b) > maxRowBytes {
		return anUnsafef("worksheet row too large")
	}
	if cap(w.store)-len(w.store) < sheetChunk { // w.b is always a suffix of w.store
		if cap(w.store)-len(w.b) >= sheetChunk {
			n := copy(w.store[:len(w.b)], w.b)
			w.store = w.store[:n]
		} else {
			ns := make([]byte, len(w.b), 2*len(w.b)+sheetChunk)
			copy(ns, w.b)
			w.store = ns
		}
		w.b = w.store
	}
	start := len(w.store)
	for {
		n, err := w.r.Read(w.store[start : start+sheetChunk])
		if n > 0 {
			w.store = w.store[:start+n]
			w.b = w.store[len(w.store)-len(w.b)-n:]
			return nil
		}
		if errors.Is(err, io.EOF) {
			w.eof = true
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func (w *anWindow) consume(n int) { w.b = w.b[n:] }

// anIsDelim tells whether a byte ends an element name.
func anIsDelim(c byte) bool {
	return c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r'
}

// anFindTag finds "<name" followed by a delimiter in b from i, or -1; more
// is true when b may end inside a match.
func anFindTag(b []byte, from int, name string) (int, bool) {
	pat := "<" + name
	for i := from; ; {
		j := bytes.Index(b[i:], []byte(pat))
		if j < 0 {
			return -1, true
		}
		j += i
		if j+len(pat) >= len(b) {
			return -1, true
		}
		if anIsDelim(b[j+len(pat)]) {
			return j, false
		}
		i = j + 1
	}
}

func (sp *sheetPatcher) run(ctx context.Context, in io.Reader, dst io.Writer) error {
	out := bufio.NewWriterSize(dst, 256<<10)
	w := &anWindow{r: in}
	if err := sp.prolog(w, out); err != nil {
		return err
	}
	i := 0
	pending := sp.marks
	last := 0
	rowQ := sp.prefix + "row"
	endQ := "</" + sp.prefix + "sheetData"
	nrows := 0
	for {
		j, _ := anFindTag(w.b, i, rowQ)
		// Markup inside a cell's text, a CDATA section or a comment, may
		// hold "<row": skip it whole.
		if to := len(w.b); true {
			if j >= 0 {
				to = j
			}
			if k := bytes.Index(w.b[i:to], []byte("<!")); k >= 0 {
				end := anSkipMarkup(w.b, i+k)
				if end < 0 {
					if err := w.more(); err != nil {
						return err
					}
					continue
				}
				i = end
				continue
			}
		}
		if j < 0 {
			if k := bytes.Index(w.b[i:], []byte(endQ)); k >= 0 {
				k += i
				if _, err := out.Write(w.b[:k]); err != nil {
					return err
				}
				w.consume(k)
				break
			}
			// keep what may be the start of a match
			keep := min(len(w.b), len(endQ)+len(rowQ)+2)
			n := len(w.b) - keep
			if _, err := out.Write(w.b[:n]); err != nil {
				return err
			}
			w.consume(n)
			i = max(i-n, 0)
			if err := w.more(); err != nil {
				return err
			}
			continue
		}
		e := anTagEnd(w.b, j)
		if e < 0 {
			if err := w.more(); err != nil {
				return err
			}
			continue
		}
		if nrows++; nrows&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if _, err := out.Write(w.b[:j]); err != nil {
			return err
		}
		w.consume(j)
		e -= j
		open := w.b[:e]
		num := last + 1
		if v, ok := anAttrBytes(open, "r"); ok {
			n, ok := anAtoiBytes(v)
			if !ok || n < 1 {
				return anUnsafef("row number " + string(v))
			}
			num = n
		}
		if num <= last {
			return anUnsafef("rows out of order")
		}
		last = num
		var err error
		if pending, err = sp.newRows(out, pending, num); err != nil {
			return err
		}
		if len(pending) == 0 || pending[0].row != num {
			if _, err := out.Write(open); err != nil {
				return err
			}
			w.consume(e)
			i = 0
			continue
		}
		n := 1
		for n < len(pending) && pending[n].row == num {
			n++
		}
		end := e
		if !bytes.HasSuffix(open, []byte("/>")) {
			for {
				k := bytes.Index(w.b[e:], []byte("</"+rowQ))
				if k >= 0 {
					if end = anTagEnd(w.b, e+k); end > 0 {
						break
					}
				}
				if err := w.more(); err != nil {
					return err
				}
			}
		}
		row, err := sp.patchRow(w.b[:end], e, pending[:n])
		if err != nil {
			return err
		}
		if _, err := out.Write(row); err != nil {
			return err
		}
		pending = pending[n:]
		w.consume(end)
		i = 0
	}
	// at </sheetData>
	if _, err := sp.newRows(out, pending, 1<<30); err != nil {
		return err
	}
	if err := sp.epilogue(w, out); err != nil {
		return err
	}
	return out.Flush()
}

// prolog copies what comes before the rows, taking the tab selection off
// and noting the columns' styles.
func (sp *sheetPatcher) prolog(w *anWindow, out io.Writer) error {
	for {
		if err := w.more(); err != nil {
			return err
		}
		root := anRootTag(w.b)
		if root < 0 {
			if w.eof {
				return anUnsafef("no worksheet root")
			}
			continue
		}
		re := anTagEnd(w.b, root)
		if re < 0 {
			continue
		}
		name := w.b[root+1 : root+1+bytes.IndexFunc(w.b[root+1:], func(r rune) bool { return r < 128 && anIsDelim(byte(r)) })]
		if c := bytes.IndexByte(name, ':'); c >= 0 {
			sp.prefix = string(name[:c+1])
		}
		if !strings.HasSuffix(string(name), "worksheet") {
			return anUnsafef("not a worksheet")
		}
		for _, a := range anTagAttrs(w.b[root:re]) {
			if a.val == relNS && strings.HasPrefix(a.name, "xmlns:") {
				sp.relPfx = strings.TrimPrefix(a.name, "xmlns:") + ":"
			}
		}
		sd, short := anFindTag(w.b, re, sp.prefix+"sheetData")
		if sd < 0 {
			if w.eof && !short {
				return anUnsafef("no sheetData")
			}
			continue
		}
		sde := anTagEnd(w.b, sd)
		if sde < 0 {
			continue
		}
		prolog := sp.patchProlog(w.b[:sd])
		if _, err := out.Write(prolog); err != nil {
			return err
		}
		tag := w.b[sd:sde]
		if bytes.HasSuffix(tag, []byte("/>")) {
			tag = append(bytes.TrimRight(bytes.TrimSuffix(tag, []byte("/>")), " \t\r\n"), '>')
			// an empty sheet: its rows are only ours, its end is ours to write
			if _, err := out.Write(tag); err != nil {
				return err
			}
			w.consume(sde)
			w.b = append([]byte("</"+sp.prefix+"sheetData>"), w.b...)
			w.store = w.b
			return nil
		}
		if _, err := out.Write(tag); err != nil {
			return err
		}
		w.consume(sde)
		return nil
	}
}

// anRootTag finds the start of the root element, or -1.
func anRootTag(b []byte) int {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 || i+j+1 >= len(b) {
			return -1
		}
		i += j
		switch b[i+1] {
		case '?':
			k := bytes.Index(b[i:], []byte("?>"))
			if k < 0 {
				return -1
			}
			i += k + 2
		case '!':
			k := bytes.Index(b[i:], []byte(">"))
			if bytes.HasPrefix(b[i:], []byte("<!--")) {
				k = bytes.Index(b[i:], []byte("-->")) + 2
			}
			if k < 2 {
				return -1
			}
			i += k + 1
		default:
			return i
		}
	}
	return -1
}

func (sp *sheetPatcher) patchProlog(b []byte) []byte {
	var edits []anEdit
	for i := 0; ; {
		j, _ := anFindTag(b, i, sp.prefix+"col")
		if j < 0 {
			break
		}
		e := anTagEnd(b, j)
		if e < 0 {
			break
		}
		tag := b[j:e]
		lo, _ := anGetAttr(tag, "min")
		hi, _ := anGetAttr(tag, "max")
		st, _ := anGetAttr(tag, "style")
		l, _ := strconv.Atoi(lo)
		h, _ := strconv.Atoi(hi)
		s, _ := strconv.Atoi(st)
		if s > 0 {
			sp.colSpans = append(sp.colSpans, [3]int{l, h, s})
		}
		i = e
	}
	if sp.clearTab {
		for i := 0; ; {
			j, _ := anFindTag(b, i, sp.prefix+"sheetView")
			if j < 0 {
				break
			}
			e := anTagEnd(b, j)
			if e < 0 {
				break
			}
			if _, ok := anGetAttr(b[j:e], "tabSelected"); ok {
				edits = append(edits, anEdit{start: j, end: e, repl: anDelAttr(b[j:e], "tabSelected")})
			}
			i = e
		}
	}
	if len(edits) == 0 {
		return b
	}
	return anApplyEdits(b, edits)
}

func (sp *sheetPatcher) styleOfCol(col int) int {
	for _, c := range sp.colSpans {
		if col >= c[0] && col <= c[1] {
			return c[2]
		}
	}
	return 0
}

func (sp *sheetPatcher) emptyCell(m *anMark, orig int) []byte {
	return []byte(`<` + sp.prefix + `c r="` + m.ref() + `" s="` + strconv.Itoa(sp.styleFor(orig, m.sev)) + `"/>`)
}

// newRows writes the rows the sheet does not have, with their marked
// cells, for the pending marks above row before; it returns the rest.
func (sp *sheetPatcher) newRows(out io.Writer, pending []*anMark, before int) ([]*anMark, error) {
	for len(pending) > 0 && pending[0].row < before {
		var b bytes.Buffer
		b.WriteString(`<` + sp.prefix + `row r="` + strconv.Itoa(pending[0].row) + `">`)
		n := 0
		for ; n < len(pending) && pending[n].row == pending[0].row; n++ {
			b.Write(sp.emptyCell(pending[n], sp.styleOfCol(pending[n].col)))
		}
		b.WriteString(`</` + sp.prefix + `row>`)
		if _, err := out.Write(b.Bytes()); err != nil {
			return nil, err
		}
		pending = pending[n:]
	}
	return pending, nil
}

// patchRow gives the marked cells of one row their styles. row is the
// whole row, e the end of its start tag.
func (sp *sheetPatcher) patchRow(row []byte, e int, ms []*anMark) ([]byte, error) {
	open := anDelAttr(row[:e], "spans") // the inserted cells may lie outside it
	rowStyle := -1
	if cf, _ := anGetAttr(open, "customFormat"); cf == "1" || cf == "true" {
		if s, ok := anGetAttr(open, "s"); ok {
			rowStyle, _ = strconv.Atoi(s)
		}
	}
	selfClosing := bytes.HasSuffix(open, []byte("/>"))
	var body []byte
	closing := []byte("</" + sp.prefix + "row>")
	if selfClosing {
		open = append(bytes.TrimRight(bytes.TrimSuffix(open, []byte("/>")), " \t\r\n"), '>')
	} else {
		cs := bytes.LastIndex(row, []byte("</"))
		body, closing = row[e:cs], row[cs:]
	}
	var b bytes.Buffer
	b.Write(open)
	cQ := sp.prefix + "c"
	col, last, noRef := 0, 0, false
	missing := func(m *anMark) int {
		if rowStyle >= 0 {
			return rowStyle
		}
		return sp.styleOfCol(m.col)
	}
	for {
		j, _ := anFindTag(body, last, cQ)
		if j < 0 {
			break
		}
		te := anTagEnd(body, j)
		if te < 0 {
			return nil, anUnsafef("cell tag")
		}
		end := te
		if !bytes.HasSuffix(body[j:te], []byte("/>")) {
			k := bytes.Index(body[te:], []byte("</"+cQ+">"))
			if k < 0 {
				return nil, anUnsafef("cell end")
			}
			end = te + k + len("</"+cQ+">")
		}
		tag := body[j:te]
		if r, ok := anGetAttr(tag, "r"); ok {
			c, _, ok := anSplitRef(r)
			if !ok {
				return nil, anUnsafef("cell reference " + r)
			}
			col = c
		} else {
			col++
			noRef = true
		}
		for len(ms) > 0 && ms[0].col < col {
			if noRef {
				return nil, anUnsafef("cells without references")
			}
			b.Write(body[last:j])
			last = j
			b.Write(sp.emptyCell(ms[0], missing(ms[0])))
			ms = ms[1:]
		}
		b.Write(body[last:j])
		if len(ms) > 0 && ms[0].col == col {
			// An empty s="" stays: excelize drops such cells, and a copy it
			// reads differently from the original would be refused.
			if s, ok := anGetAttr(tag, "s"); !ok || s != "" {
				orig, _ := strconv.Atoi(s)
				tag = anSetAttr(tag, "s", strconv.Itoa(sp.styleFor(orig, ms[0].sev)))
			}
			ms = ms[1:]
		}
		b.Write(tag)
		b.Write(body[te:end])
		last = end
	}
	b.Write(body[last:])
	for _, m := range ms {
		if noRef {
			return nil, anUnsafef("cells without references")
		}
		b.Write(sp.emptyCell(m, missing(m)))
	}
	b.Write(closing)
	return b.Bytes(), nil
}

// legacyBefore are the worksheet elements that follow legacyDrawing.
var legacyBefore = map[string]bool{"legacyDrawingHF": true, "drawingHF": true, "picture": true, "oleObjects": true,
	"controls": true, "webPublishItems": true, "tableParts": true, "extLst": true, "AlternateContent": true}

// epilogue copies what follows the rows (small: merged cells, print
// settings, drawings), referencing the comments' drawing.
func (sp *sheetPatcher) epilogue(w *anWindow, out io.Writer) error {
	for !w.eof {
		if err := w.more(); err != nil {
			return err
		}
	}
	b := w.b
	insertAt := -1
	depth := 0
	first := anTagEnd(b, 0) // </sheetData>
	if first < 0 {
		return anUnsafef("epilogue")
	}
	for i := first; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			break
		}
		i += j
		if i+1 >= len(b) {
			break
		}
		switch b[i+1] {
		case '?':
			k := bytes.Index(b[i:], []byte("?>"))
			if k < 0 {
				return anUnsafef("epilogue")
			}
			i += k + 2
			continue
		case '!':
			k := bytes.Index(b[i:], []byte("-->"))
			if k < 0 {
				return anUnsafef("epilogue")
			}
			i += k + 3
			continue
		case '/':
			depth--
			if depth < 0 && insertAt < 0 {
				insertAt = i // the root's end
			}
			e := anTagEnd(b, i)
			if e < 0 {
				return anUnsafef("epilogue")
			}
			i = e
			continue
		}
		e := anTagEnd(b, i)
		if e < 0 {
			return anUnsafef("epilogue")
		}
		tag := b[i:e]
		n := bytes.IndexFunc(tag[1:], func(r rune) bool { return r < 128 && anIsDelim(byte(r)) })
		name := string(tag[1 : 1+n])
		if c := strings.IndexByte(name, ':'); c >= 0 {
			name = name[c+1:]
		}
		if depth == 0 {
			if name == "legacyDrawing" {
				for _, a := range anTagAttrs(tag) {
					if strings.HasSuffix(a.name, ":id") {
						sp.foundLegacy = a.val
					}
				}
			}
			if legacyBefore[name] && insertAt < 0 {
				insertAt = i
			}
		}
		if !bytes.HasSuffix(tag, []byte("/>")) {
			depth++
		}
		i = e
	}
	if sp.foundLegacy != "" || sp.legacyRID == "" {
		_, err := out.Write(b)
		return err
	}
	if insertAt < 0 {
		return anUnsafef("no end of worksheet")
	}
	ref := sp.relPfx + "id"
	decl := ""
	if sp.relPfx == "" {
		ref, decl = "ufa_r:id", ` xmlns:ufa_r="`+relNS+`"`
	}
	if _, err := out.Write(b[:insertAt]); err != nil {
		return err
	}
	if _, err := io.WriteString(out, `<`+sp.prefix+`legacyDrawing`+decl+` `+ref+`="`+sp.legacyRID+`"/>`); err != nil {
		return err
	}
	sp.inserted = true
	_, err := out.Write(b[insertAt:])
	return err
}

// anAttrBytes finds an attribute's value in a start tag without
// allocating (the row loop runs for every row of the sheet).
func anAttrBytes(tag []byte, name string) ([]byte, bool) {
	i := 1
	for i < len(tag) && !anIsDelim(tag[i]) {
		i++
	}
	for i < len(tag) {
		for i < len(tag) && anIsXMLSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || tag[i] == '>' || tag[i] == '/' {
			return nil, false
		}
		ns := i
		for i < len(tag) && tag[i] != '=' && !anIsXMLSpace(tag[i]) {
			i++
		}
		n := tag[ns:i]
		for i < len(tag) && tag[i] != '"' && tag[i] != '\'' {
			i++
		}
		if i >= len(tag) {
			return nil, false
		}
		q := tag[i]
		vs := i + 1
		i = vs
		for i < len(tag) && tag[i] != q {
			i++
		}
		if string(n) == name {
			return tag[vs:min(i, len(tag))], true
		}
		i++
	}
	return nil, false
}

func anAtoiBytes(b []byte) (int, bool) {
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

// anSkipMarkup returns the end of the "<!" markup at i (a CDATA section,
// a comment, a declaration), or -1 when b ends first.
func anSkipMarkup(b []byte, i int) int {
	var end string
	switch {
	case len(b)-i < 9:
		return -1
	case bytes.HasPrefix(b[i:], []byte("<![CDATA[")):
		end = "]]>"
	case bytes.HasPrefix(b[i:], []byte("<!--")):
		end = "-->"
	default:
		end = ">"
	}
	k := bytes.Index(b[i+2:], []byte(end))
	if k < 0 {
		return -1
	}
	return i + 2 + k + len(end)
}
