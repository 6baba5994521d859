package textnorm

import "testing"

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
