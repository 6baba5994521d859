package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text applies NFKC, trims all white space (U+3000 and U+00A0 included)
// and folds inner runs of white space to one space.
func Text(s string) string {
	if tidy(s) {
		return s
	}
	if isPlainASCII(s) {
		return foldSpace(s)
	}
	return foldSpace(norm.NFKC.String(s))
}

// tidy tells, in one pass over the bytes, text that Text leaves as it is:
// printable ASCII and CJK unified ideographs (U+3400..U+9FFF, which NFKC
// leaves alone and which compose with nothing), with single inner spaces
// and none at either end. Nearly every cell of a workbook is such text;
// the NFKC check and the rune-by-rune fold cost several times more
// (ingest types every cell through Text). Anything else takes the general
// path.
func tidy(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			i++
			continue
		case c > ' ' && c < 0x7f:
			i++
		case c >= 0xe3 && c <= 0xe9 && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80 &&
			(c != 0xe3 || s[i+1] >= 0x90): // E3 90 80 is U+3400
			i += 3
		default:
			return false
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func foldSpace(s string) string {
	clean := true
	prevSpace := true
	for _, r := range s {
		sp := unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' || r == '\u200b' || r == '\ufeff'
		if sp && (prevSpace || r != ' ') {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean && !prevSpace {
		return s
	}
	if clean && s == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' || r == '\u200b' || r == '\ufeff' {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Code normalises a code or ID number: Text, upper-cased, and with inner
// spaces and hyphens removed, since people group digits when typing.
func Code(s string) string {
	s = strings.ToUpper(Text(s))
	// Two IndexByte calls: ContainsAny builds a set on every call, and
	// Code runs on every credit code and ID number of a workbook.
	if strings.IndexByte(s, ' ') >= 0 || strings.IndexByte(s, '-') >= 0 {
		s = strings.NewReplacer(" ", "", "-", "").Replace(s)
	}
	return s
}

// Header normalises a header cell or sheet name for matching: Text, then
// without line breaks or spaces, without a trailing required mark (*, ＊)
// and without parenthesised notes such as （必填） or (18位).
func Header(s string) string {
	s = Text(s) // NFKC turns （）＊ into ()*
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	for {
		before := s
		s = strings.Trim(s, "*")
		s = stripParenNote(s)
		if s == before {
			return s
		}
	}
}

// stripParenNote removes parenthesised notes, except when the whole name
// is a parenthesis (所在县(市、区) keeps its own brackets: they are
// compared in the normalised form on both sides, so removing them on both
// sides is harmless).
func stripParenNote(s string) string {
	for {
		open := strings.LastIndexAny(s, "([【")
		if open < 0 {
			return s
		}
		closeRel := strings.IndexAny(s[open:], ")]】")
		if closeRel < 0 {
			return s
		}
		_, size := utf8.DecodeRuneInString(s[open+closeRel:])
		s = s[:open] + s[open+closeRel+size:]
	}
}

// SheetName normalises a sheet name for matching: Header, then without a
// leading ordinal such as 表1, 表1-, 1., 1、 or (一) (NFKC has already turned
// （一） into (一), which Header removes as a note).
func SheetName(s string) string {
	s = Header(s)
	rest := strings.TrimPrefix(s, "表")
	i := 0
	for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9') {
		i++
	}
	if i == 0 && len(rest) == len(s) {
		return s
	}
	rest = rest[i:]
	for _, sep := range []string{"-", ".", "、", "_", ":", "：", "．", "。"} {
		rest = strings.TrimPrefix(rest, sep)
	}
	if rest == "" {
		return s
	}
	return rest
}
