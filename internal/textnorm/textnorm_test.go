package textnorm

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"  a  b ", "a b"},
		{"\u3000沈阳市\u00a0", "沈阳市"},
		{"１２３", "123"},
		{"ＡＢ　ｃ", "AB c"},
		{"a\n\tb", "a b"},
	} {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestHeader(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"统一社会信用代码*", "统一社会信用代码"},
		{"统一社会信用代码（必填）", "统一社会信用代码"},
		{"公民身份号码\n(18位)＊", "公民身份号码"},
		{"是否建立党组织（是/否）", "是否建立党组织"},
		{"所在县(市、区)", "所在县"},
		{"所在县（市、区）", "所在县"},
		{"年度工作经费（万元）", "年度工作经费"},
		{"【必填】姓名", "姓名"},
	} {
		if got := Header(c.in); got != c.want {
			t.Errorf("Header(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSheetName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"社会组织", "社会组织"},
		{"表1社会组织", "社会组织"},
		{"表1-社会组织", "社会组织"},
		{"1.社会组织", "社会组织"},
		{"1、社会组织", "社会组织"},
		{"（一）社会组织", "社会组织"},
		{"表2 代表人士", "代表人士"},
		{"12", "12"},
		{"九三学社", "九三学社"}, {"一、社会组织", "一、社会组织"},
	} {
		if got := SheetName(c.in); got != c.want {
			t.Errorf("SheetName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// slowText is Text without its tidy shortcut.
func slowText(s string) string {
	if isPlainASCII(s) {
		return foldSpace(s)
	}
	return foldSpace(norm.NFKC.String(s))
}

// The tidy shortcut changes nothing: Text gives what the general path
// gives, also on the edges of the ranges it accepts and on what it
// passes on.
func TestTidy(t *testing.T) {
	for _, c := range []struct {
		in   string
		tidy bool
	}{
		{"", true}, {"abc", true}, {"沈阳市 和平区", true}, {"51210100MJ00000015", true},
		{"\u3400\u4dbf\u4dc0\u4e00\u9fff", true}, {"a~", true},
		{" a", false}, {"a ", false}, {"a  b", false}, {"a\tb", false}, {"a\x7fb", false},
		{"\u33ff", false}, {"\ua000", false}, {"\u3000", false}, {"（一）", false}, {"１２", false},
		{"\uf900", false}, {"a\u0301", false}, {"\xe4\xb8", false}, {"\xe4\xb8a", false}, {"\xe4a\xb8", false},
		{"\xff", false}, {"A\u00a0B", false},
	} {
		if got := tidy(c.in); got != c.tidy {
			t.Errorf("tidy(%q) = %v, want %v", c.in, got, c.tidy)
		}
		if got, want := Text(c.in), slowText(c.in); got != want {
			t.Errorf("Text(%q) = %q, the general path gives %q", c.in, got, want)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "沈阳市 和平区", " a  b ", "１２３", "\u3400\u9fff", "\xe3\x8f\xbf", "a\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Text(s), slowText(s); got != want {
			t.Errorf("Text(%q) = %q, the general path gives %q", s, got, want)
		}
	})
}
