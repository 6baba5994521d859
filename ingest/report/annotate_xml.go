package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Byte-level helpers of the annotated copy: the parts it patches are
// edited in place, so that everything the annotation does not touch keeps
// its bytes (and its meaning: no round trip through a data model that
// knows only part of OOXML).

// errUnsafe marks a package the copy cannot be written for without risk
// of changing what the city submitted; the caller refuses with
// refuseUnsafe.
var errUnsafe = errors.New("unsafe package")

func anUnsafef(what string) error { return fmt.Errorf("%w: %s", errUnsafe, what) }

// anTag is one element of a small part, located in its bytes.
type anTag struct {
	prefix, local string
	start, end    int // the start tag
	close         int // after the end tag (== end when self-closing)
	depth         int // 0 for the root
	attrs         []xml.Attr
}

// anScanTags locates every element of a small, well-formed part (workbook,
// styles, comments, relationships): encoding/xml's raw tokens with their
// offsets, so edits can be made on the original bytes.
func anScanTags(data []byte) ([]anTag, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var tags []anTag
	var stack []int
	for {
		off := int(dec.InputOffset())
		tok, err := dec.RawToken()
		if err != nil {
			if errors.Is(err, io.EOF) && len(stack) == 0 && len(tags) > 0 {
				return tags, nil
			}
			return nil, anUnsafef("xml: " + err.Error())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			tags = append(tags, anTag{prefix: t.Name.Space, local: t.Name.Local, start: off, end: int(dec.InputOffset()), depth: len(stack), attrs: t.Attr})
			stack = append(stack, len(tags)-1)
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, anUnsafef("xml: unbalanced")
			}
			tags[stack[len(stack)-1]].close = int(dec.InputOffset())
			stack = stack[:len(stack)-1]
		}
	}
}

func (t anTag) attr(name string) (string, bool) {
	for _, a := range t.attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

func (t anTag) selfClosing() bool { return t.close == t.end }

// anQn is the element name with the prefix of the part's root.
func anQn(prefix, local string) string {
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
}

// nsPrefix returns the prefix the root tag binds to ns ("" for the
// default namespace) and whether it binds it at all.
func nsPrefix(root anTag, ns string) (string, bool) {
	for _, a := range root.attrs {
		if a.Value != ns {
			continue
		}
		if a.Name.Space == "xmlns" {
			return a.Name.Local, true
		}
		if a.Name.Space == "" && a.Name.Local == "xmlns" {
			return "", true
		}
	}
	return "", false
}

// anTagAttrs finds the attributes of a start tag given as bytes
// (`<c r="A1" s="3">`): name and value spans, quotes respected.
type anAttr struct {
	name       string
	start, end int // the whole ` name="value"`, leading space included
	val        string
}

func anTagAttrs(tag []byte) []anAttr {
	var out []anAttr
	i := 1
	for i < len(tag) && !anIsXMLSpace(tag[i]) && tag[i] != '>' && tag[i] != '/' {
		i++
	}
	for i < len(tag) {
		s := i
		for i < len(tag) && anIsXMLSpace(tag[i]) {
			i++
		}
		if i >= len(tag) || tag[i] == '>' || tag[i] == '/' {
			break
		}
		ns := i
		for i < len(tag) && tag[i] != '=' && !anIsXMLSpace(tag[i]) {
			i++
		}
		name := string(tag[ns:i])
		for i < len(tag) && tag[i] != '"' && tag[i] != '\'' {
			i++
		}
		if i >= len(tag) {
			break
		}
		q := tag[i]
		vs := i + 1
		i = vs
		for i < len(tag) && tag[i] != q {
			i++
		}
		out = append(out, anAttr{name: name, start: s, end: min(i+1, len(tag)), val: string(tag[vs:min(i, len(tag))])})
		i++
	}
	return out
}

func anIsXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// anSetAttr returns the start tag with attribute name set to val (added
// before the tag's end when absent). val must be escaped already.
func anSetAttr(tag []byte, name, val string) []byte {
	for _, a := range anTagAttrs(tag) {
		if a.name == name {
			return anConcat(tag[:a.start], []byte(" "+name+`="`+val+`"`), tag[a.end:])
		}
	}
	end := len(tag) - 1
	if end > 0 && tag[end-1] == '/' {
		end--
	}
	return anConcat(tag[:end], []byte(" "+name+`="`+val+`"`), tag[end:])
}

// anDelAttr returns the start tag without attribute name.
func anDelAttr(tag []byte, name string) []byte {
	for _, a := range anTagAttrs(tag) {
		if a.name == name {
			return anConcat(tag[:a.start], tag[a.end:])
		}
	}
	return tag
}

func anGetAttr(tag []byte, name string) (string, bool) {
	v, ok := anAttrBytes(tag, name)
	return string(v), ok
}

func anConcat(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// anTagEnd returns the index just past the '>' of the tag starting at i,
// quotes respected, or -1 when b ends first.
func anTagEnd(b []byte, i int) int {
	var q byte
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '>':
			return i + 1
		}
	}
	return -1
}

// anEsc escapes text for XML content and attribute values.
func anEsc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), "&#xA;", "\n")
}

// anEscAttr escapes an attribute value (line breaks kept as references).
func anEscAttr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// anColName is the column letters of a 1-based column number.
func anColName(n int) string {
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('A' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}

// anColNumber is the 1-based number of column letters (0 if not letters).
func anColNumber(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			return 0
		}
		n = n*26 + int(c-'A') + 1
		if n > 16384 {
			return 0
		}
	}
	return n
}

// anSplitRef splits a cell reference (A1, $A$1) into column and row; ok is
// false when it is not one.
func anSplitRef(ref string) (col, row int, ok bool) {
	ref = strings.ReplaceAll(ref, "$", "")
	i := 0
	for i < len(ref) && (ref[i] >= 'A' && ref[i] <= 'Z' || ref[i] >= 'a' && ref[i] <= 'z') {
		i++
	}
	col = anColNumber(ref[:i])
	row, err := strconv.Atoi(ref[i:])
	if col == 0 || err != nil || row < 1 || row > 1048576 {
		return 0, 0, false
	}
	return col, row, true
}
