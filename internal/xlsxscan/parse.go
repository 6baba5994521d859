package xlsxscan

import "bytes"

// parser holds the scratch space of the text-reading functions shared by
// the sheet scanner and the shared-string parser. Decoded text is
// appended to arena and handed out as sub-slices of it; arena only grows
// until reset, so a sub-slice stays valid (and unchanged) even when an
// append moves arena to a new array.
type parser struct {
	arena   []byte
	pieces  [][]byte
	stack   [][]byte
	scratch []byte
}

// startTagEnd parses the attributes of the start tag whose name ends at
// b[k], ignoring them, and returns the index after the tag and whether
// it was empty (<x/>).
func startTagEnd(b []byte, k int) (int, bool, error) {
	for {
		_, _, j, end, err := nextAttr(b, k)
		if err != nil {
			return 0, false, err
		}
		if end != attrFound {
			return j, end == tagEmpty, nil
		}
		k = j
	}
}

// text reads the character data of an element from b[i:] (just after its
// start tag) up to and including its end tag </q>. Entities are decoded,
// line ends normalised, CDATA sections taken literally, comments and
// processing instructions dropped. A child element is ErrUnsupported.
// Data that needs no decoding is returned as a sub-slice of b.
func (p *parser) text(b []byte, i int, q []byte) ([]byte, int, error) {
	e := bytes.IndexByte(b[i:], '<')
	if e < 0 {
		return nil, 0, errShort
	}
	raw, j := b[i:i+e], i+e
	if j+1 >= len(b) {
		return nil, 0, errShort
	}
	if b[j+1] == '/' {
		end, err := endTag(b, j, q)
		if err != nil {
			return nil, 0, err
		}
		dec, err := checkText(raw)
		if err != nil || !dec {
			return raw, end, err
		}
		start := len(p.arena)
		p.arena, err = appendText(p.arena, raw)
		return p.arena[start:], end, err
	}
	// Mixed content: assemble the pieces in the arena.
	start := len(p.arena)
	for {
		dec, err := checkText(raw)
		if err != nil {
			return nil, 0, err
		}
		if dec {
			if p.arena, err = appendText(p.arena, raw); err != nil {
				return nil, 0, err
			}
		} else {
			p.arena = append(p.arena, raw...)
		}
		if j+1 >= len(b) {
			return nil, 0, errShort
		}
		switch b[j+1] {
		case '/':
			end, err := endTag(b, j, q)
			if err != nil {
				return nil, 0, err
			}
			return p.arena[start:], end, nil
		case '!', '?':
			cd, err := cdataStart(b, j)
			if err != nil {
				return nil, 0, err
			}
			if cd {
				e := bytes.Index(b[j+9:], []byte("]]>"))
				if e < 0 {
					return nil, 0, errShort
				}
				content := b[j+9 : j+9+e]
				dec, err := checkCDATA(content)
				if err != nil {
					return nil, 0, err
				}
				if dec {
					p.arena = appendCDATA(p.arena, content)
				} else {
					p.arena = append(p.arena, content...)
				}
				j += 9 + e + 3
			} else {
				k, ok, err := skipMarkup(b, j)
				if err != nil {
					return nil, 0, err
				}
				if !ok {
					return nil, 0, unsupportedf("declaration inside <%s>", clip(q))
				}
				j = k
			}
		default:
			return nil, 0, unsupportedf("element inside <%s>", clip(q))
		}
		e := bytes.IndexByte(b[j:], '<')
		if e < 0 {
			return nil, 0, errShort
		}
		raw, j = b[j:j+e], j+e
	}
}

// elemText reads a whole element whose start tag begins at b[i] with its
// name ending at b[k], returning its text.
func (p *parser) elemText(b []byte, i, k int) ([]byte, int, error) {
	q := b[i+1 : k]
	j, empty, err := startTagEnd(b, k)
	if err != nil || empty {
		return nil, j, err
	}
	return p.text(b, j, q)
}

// child reads up to the next child element of an element being read:
// white space, comments and processing instructions are passed over. It
// returns the index of the child's '<' and the end of its name (k), or
// k == 0 with j after the end tag </q> when the element ends there. Text
// other than white space is ErrUnsupported (excelize ignores it; Excel
// does not write it).
func child(b []byte, i int, q []byte) (j, k int, err error) {
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i+1 >= len(b) {
			return 0, 0, errShort
		}
		if b[i] != '<' {
			return 0, 0, unsupportedf("text inside <%s>", clip(q))
		}
		switch b[i+1] {
		case '/':
			j, err := endTag(b, i, q)
			return j, 0, err
		case '!', '?':
			cd, err := cdataStart(b, i)
			if err != nil {
				return 0, 0, err
			}
			if cd {
				return 0, 0, unsupportedf("CDATA inside <%s>", clip(q))
			}
			j, ok, err := skipMarkup(b, i)
			if err != nil {
				return 0, 0, err
			}
			if !ok {
				return 0, 0, unsupportedf("declaration inside <%s>", clip(q))
			}
			i = j
			continue
		}
		k, err := nameEnd(b, i+1)
		return i, k, err
	}
}

// richText reads a string item: the <is> of an inline-string cell or an
// <si> of the shared-string table, whose start tag begins at b[i] with its
// name ending at b[k]. Its value is its <t> followed by the <t> of each
// rich-text run <r>; phonetic runs <rPh> and everything else are ignored;
// _xHHHH_ escapes are decoded in the joined text (as excelize does).
func (p *parser) richText(b []byte, i, k int) ([]byte, int, error) {
	q := b[i+1 : k]
	j, empty, err := startTagEnd(b, k)
	if err != nil || empty {
		return nil, j, err
	}
	p.pieces = p.pieces[:0]
	sawT, sawRun := false, false
	for {
		ci, ck, err := child(b, j, q)
		if err != nil {
			return nil, 0, err
		}
		if ck == 0 {
			j = ci
			break
		}
		name := b[ci+1 : ck]
		switch {
		case isLocal(name, "t"):
			if sawT || sawRun {
				// excelize keeps only the last <t>; Excel writes one,
				// before the runs.
				return nil, 0, unsupportedf("<t> after <t> or <r> in a string item")
			}
			sawT = true
			var t []byte
			if t, j, err = p.elemText(b, ci, ck); err != nil {
				return nil, 0, err
			}
			p.pieces = append(p.pieces, t)
		case isLocal(name, "r"):
			sawRun = true
			if j, err = p.run(b, ci, ck); err != nil {
				return nil, 0, err
			}
		default: // rPh, phoneticPr, extLst
			if j, p.stack, err = skipElement(b, ci, p.stack); err != nil {
				return nil, 0, err
			}
		}
	}
	var val []byte
	switch len(p.pieces) {
	case 0:
	case 1:
		val = p.pieces[0]
	default:
		start := len(p.arena)
		for _, piece := range p.pieces {
			p.arena = append(p.arena, piece...)
		}
		val = p.arena[start:]
	}
	if hasEscape(val) {
		start := len(p.arena)
		p.arena = appendUnescaped(p.arena, val)
		val = p.arena[start:]
	}
	return val, j, nil
}

// run reads a rich-text run <r>, adding its <t> to the pieces.
func (p *parser) run(b []byte, i, k int) (int, error) {
	q := b[i+1 : k]
	j, empty, err := startTagEnd(b, k)
	if err != nil || empty {
		return j, err
	}
	sawT := false
	for {
		ci, ck, err := child(b, j, q)
		if err != nil {
			return 0, err
		}
		if ck == 0 {
			return ci, nil
		}
		if isLocal(b[ci+1:ck], "t") {
			if sawT {
				return 0, unsupportedf("two <t> in a rich-text run")
			}
			sawT = true
			var t []byte
			if t, j, err = p.elemText(b, ci, ck); err != nil {
				return 0, err
			}
			p.pieces = append(p.pieces, t)
			continue
		}
		if j, p.stack, err = skipElement(b, ci, p.stack); err != nil {
			return 0, err
		}
	}
}
