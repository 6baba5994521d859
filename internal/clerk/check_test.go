package clerk

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"ufa/ingest"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

func TestCopyName(t *testing.T) {
	for in, want := range map[string]string{
		"沈阳市_2026-10.xlsx":     "沈阳市_2026-10_校验.xlsx",
		"/a/b/大连.XLSX":         "大连_校验.xlsx",
		`dir/v1.2.report.xlsx`: "v1.2.report_校验.xlsx",
		"沈阳市_2026-10_校验.xlsx":  "沈阳市_2026-10_校验_校验.xlsx",
	} {
		if got := CopyName(in); got != want {
			t.Errorf("CopyName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCheck: the JSON line is ingest's, the copy is written where asked,
// and the field names are the spec's Chinese ones.
func TestCheck(t *testing.T) {
	book := spec.Load()
	dir := t.TempDir()
	b := testbook.Valid()
	b.Set("社会组织", 0, "统一社会信用代码", "51210100MJ0000018W")
	path, err := b.WriteIn(dir, testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, CopyName(path))
	c, err := Check(context.Background(), book, path, ingest.Options{}, out)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := ingest.WriteJSON(&want, book, ingest.Validate(context.Background(), book, path, ingest.Options{})); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.JSON, want.Bytes()) {
		t.Errorf("JSON line\n%s\nwant\n%s", c.JSON, want.Bytes())
	}
	if c.Errors() == 0 || c.Copy != CopyWritten {
		t.Fatalf("errors %d, copy %v (%v)", c.Errors(), c.Copy, c.CopyErr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
	names := c.FieldNames(book)
	found := false
	for _, n := range names {
		found = found || n == "统一社会信用代码"
	}
	if !found {
		t.Errorf("field names %q lack 统一社会信用代码", names)
	}

	// An unreadable file: findings, and no copy to make.
	bad := filepath.Join(dir, "bad.xlsx")
	if err := os.WriteFile(bad, []byte("not a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = Check(context.Background(), book, bad, ingest.Options{}, filepath.Join(dir, CopyName(bad)))
	if err != nil || c.Copy != NotAnnotatable || c.Errors() == 0 {
		t.Errorf("unreadable: err %v, copy %v, errors %d", err, c.Copy, c.Errors())
	}
}
