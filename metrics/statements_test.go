package metrics

import (
	"strings"
	"testing"

	"ufa/internal/sqlfile"
)

// The script splitter's exact statements are tested in internal/sqlfile
// (TestSplitScriptExact), where the splitter moved.

// inputs.sql splits into its CREATE statements, each whole: it begins
// (after its comments) with CREATE OR REPLACE TEMP and holds no other
// statement's beginning.
func TestStatementsOfInputs(t *testing.T) {
	stmts := sqlfile.Split(inputsSQL, sqlfile.Script)
	if want := strings.Count(inputsSQL, "CREATE OR REPLACE TEMP"); len(stmts) != want || want < 10 {
		t.Fatalf("%d statements, the file has %d CREATE", len(stmts), want)
	}
	for i, st := range stmts {
		s := st.SQL
		body := strings.TrimSpace(sqlfile.StripComments(s))
		if !strings.HasPrefix(body, "CREATE OR REPLACE TEMP ") || strings.Count(body, "CREATE ") != 1 || strings.HasSuffix(body, ";") {
			t.Errorf("statement %d: %q", i+1, sqlfile.FirstLine(s))
		}
		if got := sqlfile.FirstLine(s); !strings.HasPrefix(got, "CREATE OR REPLACE TEMP ") {
			t.Errorf("statement %d: firstLine %q", i+1, got)
		}
		// Its line is where its text begins in the file.
		if lines := strings.Split(inputsSQL, "\n"); st.Line < 1 || st.Line > len(lines) || !strings.HasPrefix(s, strings.TrimSpace(lines[st.Line-1])) {
			t.Errorf("statement %d: line %d does not begin it", i+1, st.Line)
		}
	}
}
