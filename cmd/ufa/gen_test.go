package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenCommand(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		args   []string // after "gen"; OUT is replaced by a fresh folder
		code   int
		files  []string // relative to OUT, must exist
		stdout string   // part of stdout
		stderr string   // part of stderr
	}{
		{"two months with faults", []string{"--out", "OUT", "--from", "2026-01", "--to", "2026-02", "--scale", "0.01", "--faults"}, exitOK,
			[]string{"2026-01/沈阳市_2026-01.xlsx", "2026-01/葫芦岛市_2026-01.xlsx", "faults/E_FILE.xlsx", "faults/W_OUTLIER.xlsx", "faults/E_UNIT.xlsx"}, "问题样例 20 个", ""},
		{"one city, flags after", []string{"--scale=0.01", "--city", "大连", "--from=2026-10", "--to=2026-10", "--out=OUT"}, exitOK,
			[]string{"2026-10/大连市_2026-10.xlsx"}, "1 个市 × 1 个月", ""},
		{"bad from", []string{"--out", "OUT", "--from", "2026-13"}, exitFailed, nil, "", "YYYY-MM"},
		{"reversed range", []string{"--out", "OUT", "--from", "2026-05", "--to", "2026-04"}, exitFailed, nil, "", "早于"},
		{"unknown city", []string{"--out", "OUT", "--city", "北京市"}, exitFailed, nil, "", "未知的城市"},
		{"bad scale", []string{"--out", "OUT", "--scale", "0"}, exitFailed, nil, "", "--scale"},
		{"no out", []string{"--from", "2026-01"}, exitFailed, nil, "", "--out"},
		{"extra argument", []string{"--out", "OUT", "stray"}, exitFailed, nil, "", "多余的参数"},
		{"help", []string{"--help"}, exitOK, nil, "--scale", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
			args := []string{"gen"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "OUT", out))
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, tc.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.stdout) || !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stdout %q / stderr %q lack %q / %q", stdout.String(), stderr.String(), tc.stdout, tc.stderr)
			}
			for _, f := range tc.files {
				if _, err := os.Stat(filepath.Join(out, f)); err != nil {
					t.Errorf("missing %s: %v", f, err)
				}
			}
			if tc.code != exitOK {
				if _, err := os.Stat(out); err == nil {
					t.Errorf("a failed run created %s", out)
				}
			}
		})
	}
}
