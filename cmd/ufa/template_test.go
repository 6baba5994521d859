package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestTemplateCommand(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name      string
		args      []string // after "template"; OUT is replaced by the output path
		code      int
		wantFile  bool
		coverCity string // B2 of 封面 when a file is written
		stderr    string // part of the message on stderr
	}{
		{"city and month", []string{"--city", "沈阳市", "--month", "2026-10", "-o", "OUT"}, exitOK, true, "沈阳市", ""},
		{"short city, flags after", []string{"-o", "OUT", "--city=沈阳"}, exitOK, true, "沈阳市", ""},
		{"no options", []string{"-o", "OUT"}, exitOK, true, "", ""},
		{"unknown city", []string{"--city", "北京市", "-o", "OUT"}, exitFailed, false, "", "未知的市"},
		{"bad month", []string{"--month", "2026-13", "-o", "OUT"}, exitFailed, false, "", "YYYY-MM"},
		{"month in another form", []string{"--month", "2026年10月", "-o", "OUT"}, exitFailed, false, "", "YYYY-MM"},
		{"no output", []string{"--city", "沈阳市"}, exitFailed, false, "", "-o"},
		{"extra argument", []string{"-o", "OUT", "stray.xlsx"}, exitFailed, false, "", "多余的参数"},
		{"unwritable folder", []string{"-o", filepath.Join(dir, "missing", "t.xlsx")}, exitFailed, false, "", "无法写出模板"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".xlsx")
			args := []string{"template"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "OUT", out))
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, tc.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.stderr)
			}
			_, err := os.Stat(out)
			if exists := err == nil; exists != tc.wantFile {
				t.Fatalf("file exists=%v, want %v", exists, tc.wantFile)
			}
			if !tc.wantFile {
				return
			}
			if !strings.Contains(stdout.String(), out) {
				t.Errorf("stdout %q does not say where the file is", stdout.String())
			}
			f, err := excelize.OpenFile(out)
			if err != nil {
				t.Fatalf("written template does not open: %v", err)
			}
			defer f.Close()
			if got, _ := f.GetCellValue("封面", "B2"); got != tc.coverCity {
				t.Errorf("cover city %q, want %q", got, tc.coverCity)
			}
		})
	}
	// No temporary file is left beside the outputs.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
