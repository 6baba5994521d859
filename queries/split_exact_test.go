package queries

import (
	"slices"
	"testing"
)

// splitStatements' statements compared exactly, not counted (issue 12).
func TestSplitStatementsExact(t *testing.T) {
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
		if got := splitStatements(c.text); !slices.Equal(got, c.want) {
			t.Errorf("splitStatements(%q)\n got %q\nwant %q", c.text, got, c.want)
		}
	}
}
