package sqlfile

import (
	"strings"
	"unicode"
)

// Mode says where a statement ends.
type Mode int

const (
	// Typed is for text a user typed (ufa query): every ";" outside
	// quotes and comments ends a statement, which is kept as typed,
	// trimmed.
	Typed Mode = iota
	// Script is for the project's files: a ";" ends a statement only
	// where nothing but blanks or a "--" comment follows it on its line
	// (so "SELECT 1; SELECT 2" on one line stays one unit, which DuckDB
	// runs whole), and the comment lines after a statement's last line of
	// SQL (notes about what follows) are not part of it.
	Script
)

// Statement is one statement of a text and the line it begins on.
type Statement struct {
	SQL  string
	Line int
}

// Split splits text into statements at semicolons outside string
// literals ('...'), quoted names ("..."), dollar-quoted strings
// ($tag$...$tag$) and comments (-- and /* */), by mode's rule, and drops
// those that are only blanks and comments. A quote or comment left open
// runs to the end of the text: it hides no second statement.
func Split(text string, mode Mode) []Statement {
	st, _ := split(text, mode)
	return st
}

// split also returns the line of a quote or comment left open (0: none).
func split(text string, mode Mode) (out []Statement, open int) {
	start := 0
	last := -1 // the last byte of SQL (not blank, not in a comment)
	lineOf := func(i int) int { return 1 + strings.Count(text[:i], "\n") }
	opened := func(i int) {
		if open == 0 {
			open = lineOf(i)
		}
	}
	end := func(stop int) {
		if last < start {
			return
		}
		cut := stop
		if mode == Script {
			if j := strings.IndexByte(text[last:stop], '\n'); j >= 0 {
				cut = last + j
			}
		}
		raw := text[start:cut]
		lead := len(raw) - len(strings.TrimLeftFunc(raw, unicode.IsSpace))
		out = append(out, Statement{SQL: strings.TrimSpace(raw), Line: lineOf(start + lead)})
	}
	for i := 0; i < len(text); {
		switch c := text[i]; {
		case c == '\'' || c == '"':
			j, ok := skipQuoted(text, i, c)
			if !ok {
				opened(i)
			}
			last, i = j-1, j
		case c == '-' && strings.HasPrefix(text[i:], "--"):
			i = skipLineComment(text, i)
		case c == '/' && strings.HasPrefix(text[i:], "/*"):
			j, ok := skipBlockComment(text, i)
			if !ok {
				opened(i)
			}
			i = j
		case c == '$':
			j, ok := skipDollar(text, i)
			if !ok {
				opened(i)
			}
			last, i = j-1, j
		case c == ';' && (mode == Typed || endsLine(text[i+1:])):
			end(i)
			i++
			start = i
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		default:
			last = i
			i++
		}
	}
	end(len(text))
	return out, open
}

// endsLine tells whether s begins with blanks up to a line's end, the
// text's end or a "--" comment.
func endsLine(s string) bool {
	t := strings.TrimLeft(s, " \t\r\f\v")
	return t == "" || t[0] == '\n' || strings.HasPrefix(t, "--")
}

// skipLineComment returns the index of the end of the line (its "\n")
// of the "--" comment starting at i.
func skipLineComment(text string, i int) int {
	if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(text)
}

// skipBlockComment returns the index after the /* */ comment starting at
// i; an unclosed one runs to the end.
func skipBlockComment(text string, i int) (int, bool) {
	if j := strings.Index(text[i+2:], "*/"); j >= 0 {
		return i + j + 4, true
	}
	return len(text), false
}

// skipQuoted returns the index after the quoted run starting at i (a
// doubled quote is part of it); an unclosed one runs to the end.
func skipQuoted(text string, i int, q byte) (int, bool) {
	for j := i + 1; j < len(text); j++ {
		if text[j] == q {
			if j+1 < len(text) && text[j+1] == q {
				j++
				continue
			}
			return j + 1, true
		}
	}
	return len(text), false
}

// skipDollar skips a dollar-quoted string $tag$...$tag$ starting at i, or
// just the $ of a parameter ($name, $1).
func skipDollar(text string, i int) (int, bool) {
	j := i + 1
	for j < len(text) && (text[j] == '_' || isWordByte(text[j])) {
		j++
	}
	if j >= len(text) || text[j] != '$' {
		return i + 1, true
	}
	tag := text[i : j+1]
	if k := strings.Index(text[j+1:], tag); k >= 0 {
		return j + 1 + k + len(tag), true
	}
	return len(text), false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// StripComments removes the comments of s outside quotes, quoted names
// and dollar-quoted strings: a "--" comment up to its line's end, a /* */
// comment replaced by a blank.
func StripComments(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '\'' || c == '"':
			j, _ := skipQuoted(s, i, c)
			b.WriteString(s[i:j])
			i = j
		case c == '$':
			j, _ := skipDollar(s, i)
			b.WriteString(s[i:j])
			i = j
		case c == '-' && strings.HasPrefix(s[i:], "--"):
			i = skipLineComment(s, i)
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			i, _ = skipBlockComment(s, i)
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// FirstLine names a statement in a message: its first line of SQL
// (trimmed), skipping blank lines and "--" comment lines.
func FirstLine(stmt string) string {
	for _, l := range strings.Split(stmt, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
			return l
		}
	}
	return ""
}
