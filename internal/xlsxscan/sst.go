package xlsxscan

import "bytes"

// sharedStrings is the shared-string table: the strings end to end in
// data (for Cell.Value) and in all (for Cell.String, sub-strings of one
// string, so handing one out does not allocate), with offs[i]..offs[i+1]
// the bounds of string i.
type sharedStrings struct {
	data []byte
	all  string
	offs []uint32
}

func (t *sharedStrings) len() int { return len(t.offs) - 1 }

func (t *sharedStrings) get(i int) ([]byte, string, bool) {
	if i < 0 || i >= len(t.offs)-1 {
		return nil, "", false
	}
	a, b := t.offs[i], t.offs[i+1]
	return t.data[a:b:b], t.all[a:b], true
}

// parseSharedStrings parses a whole shared-string part (sst): each <si>
// child of the root is one string, read like an inline string (see
// parser.richText). The count attributes are ignored: a table that lies
// about its size (poi's MalformedSSTCount) must not make us allocate.
func parseSharedStrings(b []byte) (*sharedStrings, error) {
	var p parser
	t := &sharedStrings{
		data: make([]byte, 0, len(b)/2),
		offs: make([]uint32, 1, len(b)/32+1),
	}
	i, q, err := rootStart(b, "sst")
	if err != nil {
		return nil, err
	}
	if i < 0 { // <sst/>
		return t, nil
	}
	for {
		ci, ck, err := child(b, i, q)
		if err == errShort {
			return nil, malformedf("shared strings end inside an element")
		}
		if err != nil {
			return nil, err
		}
		if ck == 0 {
			break
		}
		if isLocal(b[ci+1:ck], "si") {
			p.arena = p.arena[:0]
			var s []byte
			if s, i, err = p.richText(b, ci, ck); err != nil {
				if err == errShort {
					err = malformedf("shared strings end inside an element")
				}
				return nil, err
			}
			t.data = append(t.data, s...)
			if uint64(len(t.data)) > 1<<32-1 {
				return nil, unsupportedf("shared strings over 4 GB")
			}
			t.offs = append(t.offs, uint32(len(t.data)))
			continue
		}
		if i, p.stack, err = skipElement(b, ci, p.stack); err != nil {
			if err == errShort {
				err = malformedf("shared strings end inside an element")
			}
			return nil, err
		}
	}
	t.all = string(t.data)
	return t, nil
}

// rootStart finds the root element of a whole part, which must have the
// local name want, and returns the index after its start tag (-1 when it
// is empty, <sst/>) and its qualified name. The prolog may hold a byte-order mark, an XML
// declaration (UTF-8), comments and processing instructions; a DOCTYPE is
// refused.
func rootStart(b []byte, want string) (int, []byte, error) {
	i := 0
	if bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		i = 3
	} else if bytes.HasPrefix(b, []byte("\xFE\xFF")) || bytes.HasPrefix(b, []byte("\xFF\xFE")) {
		return 0, nil, unsupportedf("UTF-16 XML")
	}
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i+1 >= len(b) {
			return 0, nil, malformedf("no root element")
		}
		if b[i] != '<' {
			return 0, nil, malformedf("text before the root element")
		}
		if b[i+1] == '?' || b[i+1] == '!' {
			j, ok, err := skipMarkup(b, i)
			if err == errShort {
				return 0, nil, malformedf("unterminated markup")
			}
			if err != nil {
				return 0, nil, err
			}
			if !ok {
				return 0, nil, unsupportedf("DOCTYPE or declaration")
			}
			if err := checkDecl(b[i:j]); err != nil {
				return 0, nil, err
			}
			i = j
			continue
		}
		k, err := nameEnd(b, i+1)
		if err == errShort {
			return 0, nil, malformedf("truncated root element")
		}
		if err != nil {
			return 0, nil, err
		}
		if !isLocal(b[i+1:k], want) {
			return 0, nil, unsupportedf("root element <%s>, not <%s>", clip(b[i+1:k]), want)
		}
		j, empty, err := startTagEnd(b, k)
		if err == errShort {
			return 0, nil, malformedf("truncated root element")
		}
		if err != nil {
			return 0, nil, err
		}
		if empty {
			return -1, nil, nil
		}
		return j, b[i+1 : k], nil
	}
}
