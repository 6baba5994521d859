package metrics

import (
	"slices"
	"strings"
	"testing"
)

// The script splitter's statements compared exactly, not counted (issue 12).
func TestStatementsExact(t *testing.T) {
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
	} {
		if got := statements(c.script); !slices.Equal(got, c.want) {
			t.Errorf("statements(%q)\n got %q\nwant %q", c.script, got, c.want)
		}
	}
}

// inputs.sql splits into its CREATE statements, each whole: it begins
// (after its comments) with CREATE OR REPLACE TEMP and holds no other
// statement's beginning.
func TestStatementsOfInputs(t *testing.T) {
	stmts := statements(inputsSQL)
	if want := strings.Count(inputsSQL, "CREATE OR REPLACE TEMP"); len(stmts) != want || want < 10 {
		t.Fatalf("%d statements, the file has %d CREATE", len(stmts), want)
	}
	for i, s := range stmts {
		body := strings.TrimSpace(stripComments(s))
		if !strings.HasPrefix(body, "CREATE OR REPLACE TEMP ") || strings.Count(body, "CREATE ") != 1 || strings.HasSuffix(body, ";") {
			t.Errorf("statement %d: %q", i+1, firstLine(s))
		}
		if got := firstLine(s); !strings.HasPrefix(got, "CREATE OR REPLACE TEMP ") {
			t.Errorf("statement %d: firstLine %q", i+1, got)
		}
	}
}
