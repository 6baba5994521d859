//go:build cgo

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"ufa/internal/testing/testbook"
)

// TestIngestOddInbox: an inbox with a workbook named in GBK bytes, an
// .xls, a lock file, a macOS side file and a FIFO: the workbook is
// loaded under a name shown with U+FFFD, the .xls is a rejected attempt
// saying 另存为 .xlsx, the rest is skipped with a line each, and nothing
// hangs or stops the batch.
func TestIngestOddInbox(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "ufa.duckdb")
	if _, err := testbook.Valid().WriteIn(dir, "\xc9\xf2\xd1\xf4_2026-10.xlsx"); err != nil { // 沈阳 in GBK
		t.Fatal(err)
	}
	for name, data := range map[string]string{"鞍山市_2026-10.xls": "x", "~$a.xlsx": "x", "._a.xlsx": "x"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.xlsx"), 0o644); err != nil {
		t.Fatal(err)
	}
	type res struct {
		code      int
		out, errs string
	}
	done := make(chan res)
	go func() {
		c, o, e := ingestRun("ingest", "--db", db, "--demo-key", dir)
		done <- res{c, o, e}
	}()
	var r res
	select {
	case r = <-done:
	case <-time.After(120 * time.Second):
		t.Fatal("ingest hangs")
	}
	if r.code != exitFindings {
		t.Errorf("exit %d, want 1 (the .xls is rejected)\n%s%s", r.code, r.out, r.errs)
	}
	for _, want := range []string{"\uFFFD\uFFFD\uFFFD\uFFFD_2026-10.xlsx（沈阳市 2026-10）：已接收", "鞍山市_2026-10.xls（鞍山市 2026-10）：被拒收",
		"pipe.xlsx：不是普通文件", "~$a.xlsx：Excel/WPS", "._a.xlsx：macOS", "已接收 1 个", "被拒收 1 个"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("no %q in\n%s", want, r.out)
		}
	}
	if n := ingestCount(t, db, "submissions")["submissions"]; n != 2 {
		t.Errorf("%d submissions recorded, want 2", n)
	}
}
