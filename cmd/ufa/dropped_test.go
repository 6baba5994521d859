package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ufa/internal/testing/testbook"
)

// TestClerkMode is the executable started without a command, as Windows
// starts it for a drop or a double-click: workbooks validated with their
// annotated copies beside them, an explanation without arguments, a wait
// for Enter only when asked; and any command left to the command line.
func TestClerkMode(t *testing.T) {
	dir := t.TempDir()
	good, err := testbook.Valid().WriteIn(dir, "沈阳市_2026-10.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	badBook := testbook.Valid()
	badBook.Set("社会组织", 0, "统一社会信用代码", "51210100MJ0000018W")
	bad, err := badBook.WriteIn(dir, "bad.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(t.TempDir(), "收件")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := testbook.Valid().WriteIn(folder, "沈阳市_2026-10.xlsx"); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name   string
		args   []string
		pause  bool
		ok     bool
		code   int
		want   []string
		copies []string
	}{
		{"valid dropped", []string{good}, true, true, 0,
			[]string{"可以上报", "已在原文件旁写出标注副本", "按回车键关闭窗口"}, []string{filepath.Join(dir, "沈阳市_2026-10_校验.xlsx")}},
		{"flawed dropped, nobody to press Enter", []string{bad}, false, true, 1,
			[]string{"不能上报", "E_CREDIT_CODE", "bad_校验.xlsx"}, []string{filepath.Join(dir, "bad_校验.xlsx")}},
		{"two dropped", []string{good, bad}, false, true, 1,
			[]string{"共 2 个文件：1 个可以上报，1 个不能上报"}, nil},
		{"folder dropped", []string{folder}, false, true, 0,
			[]string{"可以上报"}, []string{filepath.Join(folder, "沈阳市_2026-10_校验.xlsx")}},
		{"double-clicked", nil, true, true, 2,
			[]string{"拖到本程序的图标上", "ufa-validator.html", "按回车键关闭窗口"}, nil},
		{"a command", []string{"validate", good}, true, false, 0, nil, nil},
		{"a flag", []string{"--version"}, true, false, 0, nil, nil},
		{"not a path", []string{"nosuchcommand"}, true, false, 0, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			code, ok := clerkMode(context.Background(), c.args, strings.NewReader("\n"), c.pause, &out)
			if ok != c.ok || ok && code != c.code {
				t.Fatalf("clerkMode(%q) = %d, %v; want %d, %v\n%s", c.args, code, ok, c.code, c.ok, out.String())
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if !c.pause && strings.Contains(out.String(), "按回车键") {
				t.Errorf("asks for Enter though no one can press it:\n%s", out.String())
			}
			for _, p := range c.copies {
				if _, err := os.Stat(p); err != nil {
					t.Errorf("no annotated copy: %v", err)
				}
			}
		})
	}
	// The copy of the earlier drop is not validated again with its folder.
	var out bytes.Buffer
	if code, _ := clerkMode(context.Background(), []string{folder}, nil, false, &out); code != 0 || strings.Contains(out.String(), "_校验_校验") {
		t.Errorf("second drop of the folder: exit %d\n%s", code, out.String())
	}
}

// TestMayPause: no wait when standard input is a file, a pipe, /dev/null
// or closed.
func TestMayPause(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "in")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	closed, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	for name, in := range map[string]*os.File{"file": f, "pipe": r, "/dev/null": null, "closed": closed} {
		if mayPause(in) {
			t.Errorf("%s: would wait for Enter", name)
		}
	}
}
