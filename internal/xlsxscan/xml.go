package xlsxscan

import (
	"bytes"
	"fmt"
)

// The byte-level XML primitives below work on a window b of a part; an
// index i points into it. They return errShort when the window ends
// before what they parse does, so that the caller can read more and start
// over, and ErrMalformed for what is not well-formed XML. They never
// allocate.

// nameEnd returns the end of the element or attribute name at b[i:].
func nameEnd(b []byte, i int) (int, error) {
	for j := i; j < len(b); j++ {
		switch b[j] {
		case ' ', '\n', '\t', '\r', '>', '/', '=':
			if j == i {
				return 0, malformedf("missing name")
			}
			return j, nil
		case '<', '"', '\'', '&':
			return 0, malformedf("bad character %q in name", b[j])
		}
	}
	return 0, errShort
}

// localName is the name without its namespace prefix. As in encoding/xml,
// a name with more than one colon, or an empty prefix or local part, has
// no prefix.
func localName(q []byte) []byte {
	k := bytes.IndexByte(q, ':')
	if k <= 0 || k == len(q)-1 || bytes.IndexByte(q[k+1:], ':') >= 0 {
		return q
	}
	return q[k+1:]
}

// isLocal tells whether the qualified name q has the local name s.
func isLocal(q []byte, s string) bool {
	if len(q) == len(s) {
		return string(q) == s
	}
	return string(local(q)) == s
}

// local is localName for the short names of the hot path: a loop over a
// few bytes is cheaper than the calls of localName.
func local(q []byte) []byte {
	if len(q) > 16 {
		return localName(q)
	}
	k := -1
	for i, c := range q {
		if c == ':' {
			if k >= 0 {
				return q
			}
			k = i
		}
	}
	if k <= 0 || k == len(q)-1 {
		return q
	}
	return q[k+1:]
}

// Tag ends reported by nextAttr.
const (
	attrFound = 0
	tagOpen   = '>' // the start tag ended with '>'
	tagEmpty  = '/' // the start tag ended with "/>"
)

// nextAttr parses the attribute at b[i:] (after optional white space), or
// the end of the start tag. It returns the attribute's name and raw value
// (entities not decoded) with end == attrFound, or end == tagOpen /
// tagEmpty; j is the index after what it parsed.
func nextAttr(b []byte, i int) (name, val []byte, j int, end byte, err error) {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i >= len(b) {
		return nil, nil, 0, 0, errShort
	}
	switch b[i] {
	case '>':
		return nil, nil, i + 1, tagOpen, nil
	case '/':
		if i+1 >= len(b) {
			return nil, nil, 0, 0, errShort
		}
		if b[i+1] != '>' {
			return nil, nil, 0, 0, malformedf("'/' inside a tag")
		}
		return nil, nil, i + 2, tagEmpty, nil
	}
	k, err := nameEnd(b, i)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	name = b[i:k]
	for k < len(b) && isSpace(b[k]) {
		k++
	}
	if k >= len(b) {
		return nil, nil, 0, 0, errShort
	}
	if b[k] != '=' {
		return nil, nil, 0, 0, malformedf("attribute %s without a value", clip(name))
	}
	k++
	for k < len(b) && isSpace(b[k]) {
		k++
	}
	if k >= len(b) {
		return nil, nil, 0, 0, errShort
	}
	q := b[k]
	if q != '"' && q != '\'' {
		return nil, nil, 0, 0, malformedf("unquoted attribute %s", clip(name))
	}
	e := bytes.IndexByte(b[k+1:], q)
	if e < 0 {
		return nil, nil, 0, 0, errShort
	}
	val = b[k+1 : k+1+e]
	if bytes.IndexByte(val, '<') >= 0 {
		return nil, nil, 0, 0, malformedf("'<' in attribute %s", clip(name))
	}
	return name, val, k + 2 + e, attrFound, nil
}

// attrValue decodes an attribute value into scratch when it holds a
// reference or a line end, and validates it.
func attrValue(scratch, val []byte) ([]byte, error) {
	dec, err := checkText(val)
	if err != nil || !dec {
		return val, err
	}
	return appendText(scratch[:0], val)
}

// endTag parses the end tag </q> at b[i:] (b[i] == '<', b[i+1] == '/')
// and returns the index after it.
func endTag(b []byte, i int, q []byte) (int, error) {
	j := i + 2
	if len(b) < j+len(q) {
		return 0, errShort
	}
	if !same(b[j:j+len(q)], q) {
		return 0, malformedf("end tag does not match <%s>", clip(q))
	}
	j += len(q)
	for j < len(b) && isSpace(b[j]) {
		j++
	}
	if j >= len(b) {
		return 0, errShort
	}
	if b[j] != '>' {
		return 0, malformedf("end tag does not match <%s>", clip(q))
	}
	return j + 1, nil
}

// same is bytes.Equal, inlined for the short names of end tags.
func same(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) > 8 {
		return bytes.Equal(a, b)
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// skipMarkup skips the comment or processing instruction at b[i:]
// (b[i] == '<', b[i+1] is '!' or '?'), returning the index after it. A
// CDATA section, a DOCTYPE or another declaration is reported through
// ok == false (the caller decides).
func skipMarkup(b []byte, i int) (j int, ok bool, err error) {
	if i+1 >= len(b) {
		return 0, false, errShort
	}
	if b[i+1] == '?' {
		e := bytes.Index(b[i+2:], []byte("?>"))
		if e < 0 {
			return 0, false, errShort
		}
		return i + 2 + e + 2, true, nil
	}
	if len(b) < i+4 {
		return 0, false, errShort
	}
	if b[i+2] == '-' && b[i+3] == '-' {
		e := bytes.Index(b[i+4:], []byte("-->"))
		if e < 0 {
			return 0, false, errShort
		}
		return i + 4 + e + 3, true, nil
	}
	return 0, false, nil
}

// cdataStart tells whether b[i:] starts a CDATA section.
func cdataStart(b []byte, i int) (bool, error) {
	const open = "<![CDATA["
	if len(b) < i+len(open) {
		if bytes.HasPrefix([]byte(open), b[i:]) {
			return false, errShort
		}
		return false, nil
	}
	return string(b[i:i+len(open)]) == open, nil
}

// MaxDepth bounds the nesting of elements: of those the scanner skips,
// and of every element CheckSheet sees. A real worksheet nests six deep
// (worksheet, sheetData, row, c, is, r, t); 256 leaves room for any
// extension markup while refusing the millions of levels of a hostile
// file (ErrDepth).
const MaxDepth = 256

// skipElement skips the element whose start tag begins at b[i] (b[i] ==
// '<'), children and all, checking that its tags nest and match, and
// returns the index after it. stack is scratch space for the open names.
func skipElement(b []byte, i int, stack [][]byte) (int, [][]byte, error) {
	stack = stack[:0]
	for {
		if i >= len(b) {
			return 0, stack, errShort
		}
		if b[i] != '<' {
			e := bytes.IndexByte(b[i:], '<')
			if e < 0 {
				return 0, stack, errShort
			}
			if _, err := checkText(b[i : i+e]); err != nil {
				return 0, stack, err
			}
			i += e
			continue
		}
		if i+1 >= len(b) {
			return 0, stack, errShort
		}
		switch b[i+1] {
		case '/':
			if len(stack) == 0 {
				return 0, stack, malformedf("unexpected end tag")
			}
			j, err := endTag(b, i, stack[len(stack)-1])
			if err != nil {
				return 0, stack, err
			}
			stack = stack[:len(stack)-1]
			i = j
			if len(stack) == 0 {
				return i, stack, nil
			}
			continue
		case '!', '?':
			cd, err := cdataStart(b, i)
			if err != nil {
				return 0, stack, err
			}
			if cd {
				e := bytes.Index(b[i+9:], []byte("]]>"))
				if e < 0 {
					return 0, stack, errShort
				}
				i += 9 + e + 3
				continue
			}
			j, ok, err := skipMarkup(b, i)
			if err != nil {
				return 0, stack, err
			}
			if !ok {
				return 0, stack, unsupportedf("declaration inside an element")
			}
			i = j
			continue
		}
		k, err := nameEnd(b, i+1)
		if err != nil {
			return 0, stack, err
		}
		name := b[i+1 : k]
		j := k
		var end byte
		for {
			_, _, j, end, err = nextAttr(b, j)
			if err != nil {
				return 0, stack, err
			}
			if end != attrFound {
				break
			}
		}
		if end == tagEmpty {
			if len(stack) == 0 {
				return j, stack, nil
			}
		} else {
			if len(stack) >= MaxDepth {
				return 0, stack, fmt.Errorf("%w: deeper than %d", ErrDepth, MaxDepth)
			}
			stack = append(stack, name)
		}
		i = j
	}
}

// hasElement tells whether the markup b holds a start tag with one of the
// local names. Elements the scanner skips are checked with it where
// excelize would still pick up a nested cell or value.
func hasElement(b []byte, names ...string) bool {
	for {
		k := bytes.IndexByte(b, '<')
		if k < 0 || k+1 >= len(b) {
			return false
		}
		b = b[k+1:]
		e, err := nameEnd(b, 0)
		if err != nil {
			continue
		}
		for _, n := range names {
			if isLocal(b[:e], n) {
				return true
			}
		}
	}
}
