package testbook

import (
	"os"
	"path/filepath"
	"testing"
)

// CorpusDir is ../shared/corpus/xlsx-wild beside the repository (the real
// workbooks of many producers, broken and hostile ones included). A test
// that needs it fails without it: CI lays shared/ beside the clone.
func CorpusDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus", "xlsx-wild")
	if _, err := os.Stat(filepath.Join(c, "SOURCES.md")); err != nil {
		t.Fatalf("corpus not found (../shared beside the repository): %v", err)
	}
	return c
}
