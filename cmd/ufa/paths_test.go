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

// TestValidateFolderAccountsForEveryFile: validate given a folder reads
// every file in it — an .xls is an error saying 另存为 .xlsx — and says
// which files it skipped; a FIFO does not hang it.
func TestValidateFolderAccountsForEveryFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := testbook.Valid().WriteIn(dir, testbook.FileName); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"鞍山市_2026-10.xls": "x", "~$沈阳市_2026-10.xlsx": "x", "._沈阳市_2026-10.xlsx": "x"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.xlsx"), 0o644); err != nil {
		t.Fatal(err)
	}
	type out struct {
		code           int
		stdout, stderr string
	}
	done := make(chan out)
	go func() {
		c, o, e := runCmd(t, "validate", dir)
		done <- out{c, o, e}
	}()
	var r out
	select {
	case r = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("validate hangs")
	}
	if r.code != 1 {
		t.Errorf("exit %d, want 1 (the .xls is an error)\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"鞍山市_2026-10.xls", "E_FILE", "另存为", "跳过 " + filepath.Join(dir, "~$沈阳市_2026-10.xlsx"),
		"跳过 " + filepath.Join(dir, "pipe.xlsx") + "：不是普通文件", "._沈阳市_2026-10.xlsx：macOS", "共 2 个文件"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in\n%s", want, r.stdout)
		}
	}
}

// TestRunOutInInbox: ufa run's output folder inside the inbox is skipped
// when the inbox is read; the same folder, or an inbox inside the outputs,
// is refused.
func TestRunOutInInbox(t *testing.T) {
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	if err := os.MkdirAll(filepath.Join(inbox, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	if ex, err := runOutInInbox(inbox, filepath.Join(inbox, "out")); err != nil || len(ex) != 1 || ex[0] != filepath.Join(inbox, "out") {
		t.Errorf("out inside inbox: %v, %v", ex, err)
	}
	if _, err := runOutInInbox(inbox, inbox+"/"); err == nil || !strings.Contains(err.Error(), "同一个文件夹") {
		t.Errorf("out = inbox: %v", err)
	}
	if _, err := runOutInInbox(filepath.Join(dir, "res", "rejected", "x"), filepath.Join(dir, "res")); err == nil {
		t.Error("an inbox inside out/rejected is accepted")
	}
	if _, err := runOutInInbox(inbox, filepath.Join(dir, "res")); err != nil {
		t.Errorf("separate folders: %v", err)
	}
}
