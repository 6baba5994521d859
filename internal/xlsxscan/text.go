package xlsxscan

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// isSpace tells XML white space.
func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// checkText validates raw character data (never containing '<') as
// encoding/xml does: well-formed UTF-8 and only characters XML allows. It
// reports whether the data needs decoding (entity or character references,
// carriage returns to normalise).
func checkText(b []byte) (decode bool, err error) {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c >= 0x20 && c < 0x80:
			if c == '&' {
				decode = true
			}
			i++
		case c == '\n' || c == '\t':
			i++
		case c == '\r':
			decode = true
			i++
		case c < 0x20:
			return false, malformedf("control character U+%04X in text", c)
		default:
			n := utf8Char(b[i:])
			if n == 0 {
				return false, malformedf("invalid UTF-8 or a character XML does not allow in text")
			}
			i += n
		}
	}
	return decode, nil
}

// checkCDATA validates the content of a CDATA section; only carriage
// returns need decoding there.
func checkCDATA(b []byte) (decode bool, err error) {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c >= 0x20 && c < 0x80, c == '\n' || c == '\t':
			i++
		case c == '\r':
			decode = true
			i++
		case c < 0x20:
			return false, malformedf("control character U+%04X in CDATA", c)
		default:
			n := utf8Char(b[i:])
			if n == 0 {
				return false, malformedf("invalid UTF-8 or a character XML does not allow in CDATA")
			}
			i += n
		}
	}
	return decode, nil
}

// utf8Char returns the length of the multi-byte UTF-8 sequence at the
// start of b, or 0 when it is not well-formed or encodes U+FFFE or U+FFFF
// (which XML does not allow). It is utf8.DecodeRune without building the
// rune, which matters on text that is mostly Chinese.
func utf8Char(b []byte) int {
	cont := func(i int, lo, hi byte) bool { return i < len(b) && b[i] >= lo && b[i] <= hi }
	c := b[0]
	switch {
	case c >= 0xC2 && c <= 0xDF:
		if cont(1, 0x80, 0xBF) {
			return 2
		}
	case c == 0xE0:
		if cont(1, 0xA0, 0xBF) && cont(2, 0x80, 0xBF) {
			return 3
		}
	case c == 0xED:
		if cont(1, 0x80, 0x9F) && cont(2, 0x80, 0xBF) {
			return 3
		}
	case c == 0xEF:
		if cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) && (b[1] != 0xBF || b[2] < 0xBE) {
			return 3
		}
	case c >= 0xE1 && c <= 0xEE:
		if cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) {
			return 3
		}
	case c == 0xF0:
		if cont(1, 0x90, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) {
			return 4
		}
	case c >= 0xF1 && c <= 0xF3:
		if cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) {
			return 4
		}
	case c == 0xF4:
		if cont(1, 0x80, 0x8F) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) {
			return 4
		}
	}
	return 0
}

// appendText appends raw character data (checked by checkText) to dst,
// decoding the five predefined entities and character references and
// turning "\r\n" and a lone "\r" into "\n", as encoding/xml does. A
// reference to a character XML does not allow is malformed; a reference to
// a surrogate becomes U+FFFD, as with encoding/xml.
func appendText(dst, b []byte) ([]byte, error) {
	for len(b) > 0 {
		k := bytes.IndexAny(b, "&\r")
		if k < 0 {
			return append(dst, b...), nil
		}
		dst = append(dst, b[:k]...)
		b = b[k:]
		if b[0] == '\r' {
			dst = append(dst, '\n')
			b = b[1:]
			if len(b) > 0 && b[0] == '\n' {
				b = b[1:]
			}
			continue
		}
		end := bytes.IndexByte(b, ';')
		if end < 0 {
			return dst, malformedf("unterminated reference")
		}
		ref := b[1:end]
		b = b[end+1:]
		switch string(ref) {
		case "amp":
			dst = append(dst, '&')
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			r, ok := charRef(ref)
			if !ok {
				return dst, malformedf("unknown entity &%s;", clip(ref))
			}
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst, nil
}

// charRef decodes the body of a character reference (#65, #x41).
func charRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	var (
		n   uint64
		err error
	)
	if ref[1] == 'x' {
		if len(ref) < 3 {
			return 0, false
		}
		n, err = strconv.ParseUint(string(ref[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(ref[1:]), 10, 32)
	}
	if err != nil || n > utf8.MaxRune {
		return 0, false
	}
	r := rune(n)
	if r >= 0xD800 && r <= 0xDFFF {
		return utf8.RuneError, true
	}
	if !xmlChar(r) {
		return 0, false
	}
	return r, true
}

// xmlChar tells the characters XML 1.0 allows.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= utf8.MaxRune
}

// appendCDATA appends CDATA content with line ends normalised.
func appendCDATA(dst, b []byte) []byte {
	for len(b) > 0 {
		k := bytes.IndexByte(b, '\r')
		if k < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:k]...)
		dst = append(dst, '\n')
		b = b[k+1:]
		if len(b) > 0 && b[0] == '\n' {
			b = b[1:]
		}
	}
	return dst
}

// hasEscape tells whether text may hold an _xHHHH_ escape (ECMA-376
// ST_Xstring), which shared and inline strings use for characters XML
// cannot carry, such as _x000D_ for a carriage return.
func hasEscape(b []byte) bool { return bytes.Contains(b, []byte("_x")) }

// appendUnescaped appends b to dst with its _xHHHH_ escapes decoded, as
// excelize does (_x005F_ is a literal underscore, so _x005F_x000D_ reads
// as the text _x000D_). Unlike excelize, which drops every escaped
// surrogate, an escaped surrogate pair becomes the character it encodes;
// a lone surrogate is dropped as excelize drops it.
func appendUnescaped(dst, b []byte) []byte {
	for {
		k := bytes.Index(b, []byte("_x"))
		if k < 0 {
			return append(dst, b...)
		}
		if k+7 > len(b) {
			return append(dst, b...)
		}
		r, ok := hex4(b[k+2 : k+6])
		if !ok || b[k+6] != '_' {
			// Not an escape: keep "_" and look again from the "x", as
			// a regular expression scanning left to right would.
			dst = append(dst, b[:k+1]...)
			b = b[k+1:]
			continue
		}
		dst = append(dst, b[:k]...)
		b = b[k+7:]
		switch {
		case r == '_':
			dst = append(dst, '_')
		case r >= 0xD800 && r <= 0xDBFF:
			if len(b) >= 7 && b[0] == '_' && b[1] == 'x' && b[6] == '_' {
				if lo, ok := hex4(b[2:6]); ok && lo >= 0xDC00 && lo <= 0xDFFF {
					dst = utf8.AppendRune(dst, 0x10000+(r-0xD800)<<10+(lo-0xDC00))
					b = b[7:]
				}
			}
		case r >= 0xDC00 && r <= 0xDFFF:
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
}

func hex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// clip shortens bytes quoted in an error message.
func clip(b []byte) string {
	if len(b) > 32 {
		return string(b[:32]) + "…"
	}
	return string(b)
}
