package read_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"ufa/ingest/check"
	"ufa/ingest/model"
	"ufa/ingest/read"
	"ufa/ingest/report"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// gbkDalian is 大连 in GBK: a file name as an archive made on Windows
// unpacks on Linux.
const gbkDalian = "\xb4\xf3\xc1\xac"

// batchInbox writes an inbox holding every kind of thing a folder of
// submissions meets, and returns it with the files Collect must read and
// the names it must skip.
func batchInbox(t *testing.T) (dir string, files []string, skipped map[string]string) {
	t.Helper()
	dir = t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	valid, err := testbook.Valid().WriteIn(dir, testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(valid)
	if err != nil {
		t.Fatal(err)
	}
	gbk := write(gbkDalian+"_2026-10.xlsx", data)
	xls := write("鞍山市_2026-10.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	et := write("sub/抚顺市_2026-10.et", []byte("x"))
	csv := write("sub/说明.csv", []byte("a,b\n"))
	files = []string{gbk, valid, csv, et, xls}
	slices.Sort(files)
	skipped = map[string]string{}
	for name, why := range map[string]string{
		"~$沈阳市_2026-10.xlsx": "锁定文件", ".~沈阳市_2026-10.xlsx": "WPS", "._沈阳市_2026-10.xlsx": "macOS",
		".DS_Store": "操作系统", "sub/Thumbs.db": "操作系统",
	} {
		write(name, []byte("x"))
		skipped[name] = why
	}
	write("__MACOSX/._a.xlsx", []byte("x"))
	skipped["__MACOSX"] = "macOS"
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.xlsx"), 0o644); err != nil {
		t.Fatal(err)
	}
	skipped["pipe.xlsx"] = "命名管道"
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.xlsx")); err != nil {
		t.Fatal(err)
	}
	skipped["zero.xlsx"] = "设备"
	// A socket path must be short: listen from inside the folder.
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", "sock.xlsx")
	os.Chdir(wd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	skipped["sock.xlsx"] = "套接字"
	if err := os.Symlink(filepath.Join(dir, "sub"), filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	skipped["loop"] = "符号链接"
	write("out/2026-10_考核报告.xlsx", data)
	skipped["out"] = "输出文件夹"
	return dir, files, skipped
}

// TestCollect: every file of a folder is either read or skipped with a
// reason; nothing blocks; the job's own outputs are skipped.
func TestCollect(t *testing.T) {
	dir, files, skipped := batchInbox(t)
	done := make(chan struct{})
	var b *read.Batch
	var err error
	go func() {
		defer close(done)
		b, err = read.Collect([]string{dir}, read.CollectOptions{Exclude: []string{filepath.Join(dir, "out")}})
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Collect hangs")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.Files, files) {
		t.Errorf("files\n%q\nwant\n%q", b.Files, files)
	}
	got := map[string]string{}
	for _, s := range b.Skipped {
		rel, _ := filepath.Rel(dir, s.Path)
		got[rel] = s.Reason
	}
	for name, why := range skipped {
		if !strings.Contains(got[name], why) {
			t.Errorf("%s: skipped with %q, want a reason with %q", name, got[name], why)
		}
		delete(got, name)
	}
	for name, why := range got {
		t.Errorf("%s skipped unexpectedly: %s", name, why)
	}
	if _, err := read.Collect([]string{filepath.Join(dir, "nothing-here")}, read.CollectOptions{}); err == nil {
		t.Error("a missing path is no error")
	}
	// A special file given by name is skipped as well, not opened.
	b, err = read.Collect([]string{filepath.Join(dir, "pipe.xlsx"), filepath.Join(dir, "zero.xlsx")}, read.CollectOptions{})
	if err != nil || len(b.Files) != 0 || len(b.Skipped) != 2 {
		t.Errorf("special files by name: %+v, %v", b, err)
	}
}

// TestValidateKinds: what is not a workbook is one E_FILE that says what
// to do, never a hang; a file that could not be read is attributed to the
// city its name states; a name in GBK is read and shown with replacement
// characters.
func TestValidateKinds(t *testing.T) {
	dir, _, _ := batchInbox(t)
	book := spec.Load()
	for _, c := range []struct {
		name, inMsg, city string
	}{
		{"鞍山市_2026-10.xls", "另存为", "鞍山市"},
		{"sub/抚顺市_2026-10.et", "另存为", "抚顺市"},
		{"sub/说明.csv", "模板", ""},
		{"pipe.xlsx", "不是普通文件", ""},
		{"zero.xlsx", "不是普通文件", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan *model.Result)
			go func() {
				done <- check.Validate(context.Background(), book, filepath.Join(dir, c.name), check.Options{})
			}()
			var r *model.Result
			select {
			case r = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("Validate hangs")
			}
			if r.Workbook != nil || len(r.Findings) != 1 || r.Findings[0].Code != "E_FILE" || !strings.Contains(r.Findings[0].Message, c.inMsg) {
				t.Fatalf("findings %+v, want one E_FILE with %q", r.Findings, c.inMsg)
			}
			if c.city != "" && !strings.Contains(r.Findings[0].Message, "按文件名，这是"+c.city+" 2026-10的报送") {
				t.Errorf("the finding does not say whose attempt it is: %s", r.Findings[0].Message)
			}
			city, month, fromName := r.Attributed()
			switch {
			case c.city == "" && city != nil:
				t.Errorf("attributed to %s", city.Name)
			case c.city != "" && (city == nil || city.Name != c.city || month.Format("2006-01") != "2026-10" || !fromName):
				t.Errorf("attributed to %v %v, want %s 2026-10 from the name", city, month, c.city)
			}
		})
	}
	t.Run("GBK name", func(t *testing.T) {
		p := filepath.Join(dir, gbkDalian+"_2026-10.xlsx")
		r := check.Validate(context.Background(), book, p, check.Options{})
		if r.Workbook == nil || r.Errors() > 0 {
			t.Fatalf("not read: %+v", r.Findings)
		}
		shown := read.ShownName(p)
		if !utf8.ValidString(shown) || shown != strings.Repeat("\uFFFD", 4)+"_2026-10.xlsx" {
			t.Errorf("shown as %q", shown)
		}
		var out bytes.Buffer
		if err := report.WriteJSON(&out, book, r); err != nil || !json.Valid(out.Bytes()) || !utf8.Valid(out.Bytes()) {
			t.Errorf("json %q: %v", out.String(), err)
		}
	})
}
