package testbook

import (
	"os"
	"path/filepath"
	"testing"
)

// CorpusDir is testdata/xlsx-wild at the top of the repository (the real
// workbooks of many producers, broken and hostile ones included; their
// sources and licenses in its SOURCES.md). It is found by walking up from
// the test's folder to go.mod, so every package's tests reach the same copy.
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
	c := filepath.Join(dir, "testdata", "xlsx-wild")
	if _, err := os.Stat(filepath.Join(c, "SOURCES.md")); err != nil {
		t.Fatalf("corpus not found (testdata/xlsx-wild at the top of the repository): %v", err)
	}
	return c
}
