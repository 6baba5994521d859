package model

import (
	"ufa/internal/codes"
	"ufa/internal/spec"
)

// MaskFinding masks ID numbers in a finding: the whole value of a finding
// on an id18 field, and anything shaped like an ID number (15 digits, or
// 17 digits and a check character) in the value and the message, since a
// person's number may sit in any cell or be quoted in a message.
func MaskFinding(book *spec.Book, f Finding) Finding {
	if f.Value != "" && isIDField(book, f.Field) {
		f.Value = codes.MaskID(f.Value)
	}
	f.Value = MaskIDs(f.Value)
	f.Message = MaskIDs(f.Message)
	return f
}

func isIDField(book *spec.Book, key string) bool {
	if key == "" || book == nil {
		return false
	}
	for _, sh := range book.Sheets {
		if c := sh.Column(key); c != nil && c.Kind == spec.ID18 {
			return true
		}
	}
	return false
}

// MaskIDs masks every run of characters shaped like an ID number: 15
// digits, or 17 digits and a digit or X, not part of a longer run of
// letters and digits.
func MaskIDs(s string) string {
	isAlnum := func(c byte) bool {
		return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
	}
	var out []byte
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		if idShaped(s[i:j]) {
			if out == nil {
				out = []byte(s)
			}
			copy(out[i:j], codes.MaskID(s[i:j]))
		}
		i = j
	}
	if out == nil {
		return s
	}
	return string(out)
}

func idShaped(w string) bool {
	if len(w) != 15 && len(w) != 18 {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		last := i == len(w)-1 && len(w) == 18
		if !(c >= '0' && c <= '9' || last && (c == 'X' || c == 'x')) {
			return false
		}
	}
	return true
}
