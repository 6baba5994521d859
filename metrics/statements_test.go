package metrics

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"ufa/internal/spec"
	"ufa/internal/sqlfile"
	"ufa/transform"
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

// A statement of inputs.sql that fails is named by file:line and its
// first line of SQL.
func TestInputsErrorPlace(t *testing.T) {
	ctx := context.Background()
	w, err := transform.Open(ctx, filepath.Join(t.TempDir(), "ufa.duckdb"), transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	tx, err := w.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DROP VIEW first_accepted; DROP VIEW latest_attempts; DROP VIEW attempts"); err != nil {
		t.Fatal(err)
	}
	var want string
	for _, st := range sqlfile.Split(inputsSQL, sqlfile.Script) {
		if l := sqlfile.FirstLine(st.SQL); strings.Contains(l, " m_attempt ") {
			want = fmt.Sprintf("metrics: sql/compute/inputs.sql:%d (%s): ", st.Line, l)
		}
	}
	m, _ := ParseMonth("2026-03")
	err = prepare(ctx, tx, spec.Load(), newWindow(m, DefaultScheme()))
	if want == "" || err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "attempts") {
		t.Errorf("error %v, want one beginning %q", err, want)
	}
}
