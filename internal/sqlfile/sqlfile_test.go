package sqlfile

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseHeader(t *testing.T) {
	text := "-- name: 按时报送\n" +
		"-- unit: flag\n" +
		"--\n" +
		"-- 1 when the first accepted workbook: not after the deadline.\n" +
		"\n" +
		"-- order: 610\n" +
		"--   param:  month (必填) 报送月份  \n" +
		"-- e.g. http://x: not a field\n" +
		"-- Rows: not a field either (a field's key is lower case)\n" +
		"SELECT 1 -- name: not a header field\n" +
		"-- a comment in the SQL\n" +
		"FROM t\n"
	f, err := Parse("sql/on_time.sql", text)
	if err != nil {
		t.Fatal(err)
	}
	want := []Field{{"name", "按时报送", 1}, {"unit", "flag", 2}, {"order", "610", 6}, {"param", "month (必填) 报送月份", 7}}
	if !slices.Equal(f.Fields, want) {
		t.Errorf("fields %+v, want %+v", f.Fields, want)
	}
	wantDoc := []string{"", "1 when the first accepted workbook: not after the deadline.", "e.g. http://x: not a field", "Rows: not a field either (a field's key is lower case)"}
	if !slices.Equal(f.Doc, wantDoc) {
		t.Errorf("doc %q, want %q", f.Doc, wantDoc)
	}
	if f.BodyLine != 10 || f.Body != "SELECT 1 -- name: not a header field\n-- a comment in the SQL\nFROM t" {
		t.Errorf("body at %d: %q", f.BodyLine, f.Body)
	}
	if f.Text != text || len(f.Sections) != 0 {
		t.Errorf("text or sections changed: %d sections", len(f.Sections))
	}
	if v, ok := f.Field("order"); !ok || v != "610" {
		t.Errorf("Field(order) = %q, %v", v, ok)
	}
	if _, ok := f.Field("group"); ok {
		t.Error("Field(group) found")
	}
}

func TestParseSections(t *testing.T) {
	text := "-- name: x\n-- @value\nSELECT 1\n\n-- @rows 分子 与 分母 \r\n-- the rows\nSELECT 2\nWHERE a = ?\n-- @rows\n"
	f, err := Parse("sql/x.sql", text)
	if err != nil {
		t.Fatal(err)
	}
	want := []Section{
		{Kind: "value", Line: 2, SQL: "SELECT 1"},
		{Kind: "rows", Title: "分子 与 分母", Line: 5, SQL: "-- the rows\nSELECT 2\nWHERE a = ?"},
		{Kind: "rows", Line: 9},
	}
	if !slices.Equal(f.Sections, want) {
		t.Errorf("sections %+v, want %+v", f.Sections, want)
	}
	if f.Body != "" || f.BodyLine != 0 {
		t.Errorf("body %q at %d", f.Body, f.BodyLine)
	}
}

// A problem is reported as file:line, as an *Error.
func TestErrors(t *testing.T) {
	_, err := Parse("sql/x.sql", "-- name: x\n\nSELECT 0\n-- @value\nSELECT 1\n")
	var fe *Error
	if !errors.As(err, &fe) || fe.File != "sql/x.sql" || fe.Line != 3 || !strings.HasPrefix(err.Error(), "sql/x.sql:3: SQL before the first section (-- @value)") {
		t.Errorf("SQL before a section: %v", err)
	}
	f, err := Parse("sql/y.sql", "-- name: y\n")
	if err != nil {
		t.Fatal(err)
	}
	cause := errors.New("cause")
	err = f.Errorf(1, "bad %s: %w", "name", cause)
	if err.Error() != "sql/y.sql:1: bad name: cause" || !errors.Is(err, cause) {
		t.Errorf("Errorf: %v", err)
	}
	for _, c := range []struct {
		text string
		line int
	}{
		{"SELECT 1;\nSELECT 'open;\nSELECT 2;\n", 2},
		{"-- x\nSELECT \"open;\n", 2},
		{"SELECT 1;\n\n/* never closed\nSELECT 2;\n", 3},
		{"SELECT $body$ never closed;\n", 1},
	} {
		f, err := Parse("sql/s.sql", c.text)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Statements()
		if !errors.As(err, &fe) || fe.Line != c.line || !strings.Contains(err.Error(), "never closed") {
			t.Errorf("%q: %v, want an error at line %d", c.text, err, c.line)
		}
	}
	f, _ = Parse("sql/ok.sql", "-- fine\nSELECT 'a;b', $$c$$ /* d */;\nSELECT 2;\n")
	if st, err := f.Statements(); err != nil || len(st) != 2 || st[1].Line != 3 {
		t.Errorf("Statements: %+v, %v", st, err)
	}
}

func TestLoadAndText(t *testing.T) {
	fsys := fstest.MapFS{
		"sql/b.sql":     {Data: []byte("-- name: b\nSELECT 2\n")},
		"sql/a.sql":     {Data: []byte("-- name: a\nSELECT 1\n")},
		"sql/sub/c.sql": {Data: []byte("SELECT 3\n")},
		"sql/notes.txt": {Data: []byte("not SQL")},
		"sql/bad.sqlx":  {Data: []byte("-- name: z\n\nSELECT 0\n-- @value\n")},
	}
	files, err := Load(fsys, "sql/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, []string{"sql/a.sql", "sql/b.sql"}) {
		t.Errorf("Load: %q", names)
	}
	if got := Text(fsys, "sql/sub/c.sql"); got != "SELECT 3\n" {
		t.Errorf("Text: %q", got)
	}
	if _, err := Load(fsys, "sql/*.sqlx"); err == nil || !strings.HasPrefix(err.Error(), "sql/bad.sqlx:3: ") {
		t.Errorf("Load of a bad file: %v", err)
	}
	defer func() {
		if r := recover(); r == nil {
			t.Error("Text of a missing file did not panic")
		}
	}()
	Text(fsys, "sql/missing.sql")
}

// Every SQL file of the repository parses, and splits as a script with
// no quote or comment left open (the packages' own tests check what
// their fields and sections say).
func TestRepositoryFiles(t *testing.T) {
	root := os.DirFS("../..")
	n := 0
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "node_modules") {
			return fs.SkipDir
		}
		if d.IsDir() || path.Ext(p) != ".sql" {
			return nil
		}
		n++
		f, err := Read(root, p)
		if err != nil {
			t.Error(err)
			return nil
		}
		st, err := f.Statements()
		if err != nil {
			t.Error(err)
		} else if len(st) == 0 && len(f.Sections) == 0 && len(f.Fields) == 0 {
			t.Errorf("%s: no statement and no header", p) // queries/sql/indicator_rows.sql: a header alone
		}
		return nil
	})
	if err != nil || n < 100 {
		t.Errorf("%d SQL files, %v", n, err)
	}
}
