package sqlfile

import (
	"slices"
	"testing"
)

func sqls(st []Statement) []string {
	var out []string
	for _, s := range st {
		out = append(out, s.SQL)
	}
	return out
}

// The script splitter's statements compared exactly, not counted (issue
// 12; moved from metrics' statements_test.go).
func TestSplitScriptExact(t *testing.T) {
	for _, c := range []struct {
		script string
		want   []string
	}{
		{"", nil},
		{"SELECT 1;\nSELECT 2;\n", []string{"SELECT 1", "SELECT 2"}},
		// A statement keeps its leading comment and its line breaks.
		{"-- the first\nSELECT 1\nFROM t;\n\nSELECT 2\nFROM u;", []string{"-- the first\nSELECT 1\nFROM t", "SELECT 2\nFROM u"}},
		// A trailing statement without ";" is kept, trailing comments are not.
		{"SELECT 1;\nSELECT 2\n-- the end\n", []string{"SELECT 1", "SELECT 2"}},
		{"SELECT 1;\n-- only a comment\n\n", []string{"SELECT 1"}},
		// A lone ";" line is no statement.
		{"SELECT 1;\n;\nSELECT 2;", []string{"SELECT 1", "SELECT 2"}},
		// ";" ends a statement only at the end of a line (trailing blanks
		// allowed): a semicolon inside a line is part of the statement.
		{"SELECT ';' AS a, 1 AS b;  \nSELECT 2;", []string{"SELECT ';' AS a, 1 AS b", "SELECT 2"}},
		{"SELECT 1; SELECT 2\n", []string{"SELECT 1; SELECT 2"}},
		// Added with the move: a comment may follow the ";", and a ";"
		// at the end of a line inside a string or a comment ends nothing.
		{"SELECT 1; -- one\nSELECT 2;", []string{"SELECT 1", "-- one\nSELECT 2"}},
		{"SELECT 'a;\nb';\n-- c;\nSELECT 2", []string{"SELECT 'a;\nb'", "-- c;\nSELECT 2"}},
		{"SELECT 1 /* x;\n*/ + 1;\n", []string{"SELECT 1 /* x;\n*/ + 1"}},
	} {
		if got := sqls(Split(c.script, Script)); !slices.Equal(got, c.want) {
			t.Errorf("Split(%q, Script)\n got %q\nwant %q", c.script, got, c.want)
		}
	}
}

// The typed text's statements compared exactly, not counted (issue 12;
// moved from queries' split_exact_test.go).
func TestSplitTypedExact(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"", nil},
		{"  ;  -- only a comment", nil},
		{"SELECT 1", []string{"SELECT 1"}},
		{"SELECT 1;", []string{"SELECT 1"}},
		{" SELECT 1 ;;; ", []string{"SELECT 1"}},
		{"SELECT 1; -- done\n", []string{"SELECT 1"}},
		{"SELECT 1;\nDROP TABLE x;", []string{"SELECT 1", "DROP TABLE x"}},
		{"SELECT ';' AS a; SELECT 2", []string{"SELECT ';' AS a", "SELECT 2"}},
		{`SELECT 1 AS "a;b"; SELECT 2`, []string{`SELECT 1 AS "a;b"`, "SELECT 2"}},
		{"SELECT 'it''s; fine'; SELECT 3", []string{"SELECT 'it''s; fine'", "SELECT 3"}},
		{"SELECT 1 -- ; not a separator\n; SELECT 2", []string{"SELECT 1 -- ; not a separator", "SELECT 2"}},
		{"SELECT 1 /* ; */ + 1;SELECT 2", []string{"SELECT 1 /* ; */ + 1", "SELECT 2"}},
		{"SELECT $$a;b$$; SELECT $tag$a;$$;b$tag$", []string{"SELECT $$a;b$$", "SELECT $tag$a;$$;b$tag$"}},
		{"SELECT $month; SELECT $1", []string{"SELECT $month", "SELECT $1"}},
		// Unclosed quotes and comments run to the end: no hidden second statement.
		{"SELECT 'open; DROP TABLE x", []string{"SELECT 'open; DROP TABLE x"}},
		{"SELECT 1 /* open; DROP TABLE x", []string{"SELECT 1 /* open; DROP TABLE x"}},
		{"SELECT 1; /* c */ -- d\n", []string{"SELECT 1"}},
	} {
		if got := sqls(Split(c.text, Typed)); !slices.Equal(got, c.want) {
			t.Errorf("Split(%q, Typed)\n got %q\nwant %q", c.text, got, c.want)
		}
	}
}

// The counts of queries' readonly_test.go (TestSplitStatements), kept
// with the move.
func TestSplitTypedCount(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"SELECT 1", 1},
		{"SELECT 1;", 1},
		{"SELECT 1; -- done\n", 1},
		{"SELECT 1; SELECT 2", 2},
		{"SELECT ';' AS a", 1},
		{`SELECT 1 AS "a;b"`, 1},
		{"SELECT 'it''s; fine'", 1},
		{"SELECT 1 -- ; not a separator\n", 1},
		{"SELECT 1 /* ; */ + 1", 1},
		{"SELECT $$a;b$$", 1},
		{"SELECT $tag$a;$$;b$tag$", 1},
		{"SELECT $month", 1},
		{"SELECT 1;;; ", 1},
		{"  ;  -- only a comment", 0},
		{"", 0},
		{"SELECT 1; DROP TABLE x;", 2},
	}
	for _, tc := range tests {
		if got := Split(tc.text, Typed); len(got) != tc.want {
			t.Errorf("%q: %d statements %q, want %d", tc.text, len(got), sqls(got), tc.want)
		}
	}
}

// A statement's line is the line its text (leading comments included)
// begins on, after the blank lines that separate it from the previous one.
func TestSplitLines(t *testing.T) {
	text := "-- header\n\nSELECT 1;\n\n\n  -- the second\n  SELECT 2\n  FROM t;\nSELECT 3; SELECT 4\n"
	got := Split(text, Script)
	want := []Statement{{"-- header\n\nSELECT 1", 1}, {"-- the second\n  SELECT 2\n  FROM t", 6}, {"SELECT 3; SELECT 4", 9}}
	if !slices.Equal(got, want) {
		t.Errorf("Split(Script)\n got %+v\nwant %+v", got, want)
	}
	got = Split(text, Typed)
	want = []Statement{{"-- header\n\nSELECT 1", 1}, {"-- the second\n  SELECT 2\n  FROM t", 6}, {"SELECT 3", 9}, {"SELECT 4", 9}}
	if !slices.Equal(got, want) {
		t.Errorf("Split(Typed)\n got %+v\nwant %+v", got, want)
	}
}

func TestStripComments(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1 -- one\nFROM t", "SELECT 1 \nFROM t"},
		{"SELECT /* a */1", "SELECT  1"},
		{"SELECT '--not', \"/*no*/\", $$--no$$ -- yes", "SELECT '--not', \"/*no*/\", $$--no$$ "},
		{"SELECT 1 /* open", "SELECT 1  "},
		{"SELECT $month -- m", "SELECT $month "},
	} {
		if got := StripComments(c.in); got != c.want {
			t.Errorf("StripComments(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFirstLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"-- a\n\n  CREATE TABLE x AS\nSELECT 1", "CREATE TABLE x AS"},
		{"-- only\n", ""},
		{"SELECT 1", "SELECT 1"},
	} {
		if got := FirstLine(c.in); got != c.want {
			t.Errorf("FirstLine(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
