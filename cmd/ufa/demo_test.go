//go:build cgo

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ufa/pipeline"
)

// demoPaths returns the paths the demo's closing lines name: the text
// after "：" (up to "（") or an indented line of its own.
func demoPaths(t *testing.T, stdout, dir string) map[string]string {
	t.Helper()
	_, tail, ok := strings.Cut(stdout, "演示完成")
	if !ok {
		t.Fatalf("no closing lines\n%s", stdout)
	}
	out := map[string]string{}
	for _, line := range strings.Split(tail, "\n") {
		label, p, ok := strings.Cut(strings.TrimSpace(line), "：")
		if !ok {
			label, p = "标注副本", strings.TrimSpace(line)
		}
		p, _, _ = strings.Cut(p, "（")
		if strings.HasPrefix(p, dir) {
			out[p] = label
		}
	}
	return out
}

// ufa demo at a small scale, end to end: exit 0, every path it prints
// exists, and a rejected workbook of each kind of the year has its
// annotated copy.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and runs a year")
	}
	t.Setenv("UFA_KEY_FILE", "")
	t.Setenv("UFA_DEMO_KEY", "")
	dir := filepath.Join(t.TempDir(), "demo")
	code, stdout, stderr := ingestRun("demo", "--scale", "0.01", "--dir", dir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "公开的演示密钥") {
		t.Errorf("the demo does not say it uses the public demo key\n%s", stdout)
	}
	paths := demoPaths(t, stdout, dir)
	byLabel := map[string]int{}
	for p, label := range paths {
		if strings.Contains(p, "<月份>") {
			continue
		}
		byLabel[label]++
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", label, err)
		}
	}
	for _, want := range []string{"看板首页（2026-12）", "考核报告（2026-12）", "标注副本", "问题样例的标注副本", "空白报送模板", "数据库"} {
		if byLabel[want] == 0 {
			t.Errorf("the demo does not print the path of %s\n%s", want, stdout)
		}
	}
	// ufa gen --faults plans max(2, 168/28) = 6 rejected first attempts
	// in a year of 14 cities.
	if n := byLabel["标注副本"]; n != 6 {
		t.Errorf("%d annotated copies of rejected workbooks, want 6\n%s", n, stdout)
	}
	for m := 1; m <= 12; m++ {
		month := "2026-" + []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"}[m-1]
		if !strings.Contains(stdout, month+"：接收 ") {
			t.Errorf("no line for %s", month)
		}
		if _, err := os.Stat(filepath.Join(dir, "out", month, "dashboards", "index.html")); err != nil {
			t.Errorf("%s: %v", month, err)
		}
	}
	copies, _ := filepath.Glob(filepath.Join(dir, "faults_annotated", "*_校验.xlsx"))
	faults, _ := filepath.Glob(filepath.Join(dir, "inbox", "faults", "*.xlsx"))
	// Every sample but the unreadable one (E_FILE) gets a copy.
	if len(copies) != len(faults)-1 || len(faults) < 10 {
		t.Errorf("%d annotated fault samples of %d", len(copies), len(faults))
	}
	// faults/ is not ingested: one submission per month file, no more.
	files, _ := filepath.Glob(filepath.Join(dir, "inbox", "2026-*", "*.xlsx"))
	if n := ingestCount(t, filepath.Join(dir, "ufa.duckdb"), "submissions")["submissions"]; n != int64(len(files)) {
		t.Errorf("%d submissions from %d month files", n, len(files))
	}
}

// The demo's folder: a folder it did not make is refused before anything
// is written; one it made is cleared of its generated data and reused.
func TestDemoFolder(t *testing.T) {
	foreign := t.TempDir()
	keep := filepath.Join(foreign, "论文.docx")
	if err := os.WriteFile(keep, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := ingestRun("demo", "--scale", "0.01", "--dir", foreign)
	if code != exitFailed || !strings.Contains(stderr, "不是演示文件夹") {
		t.Errorf("foreign folder: exit %d\n%s%s", code, stdout, stderr)
	}
	if entries, _ := os.ReadDir(foreign); len(entries) != 1 {
		t.Errorf("the foreign folder was written: %v", entries)
	}

	dir := filepath.Join(t.TempDir(), "demo")
	if err := pipeline.DemoPrepare(dir); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"inbox/2026-01/a.xlsx", "out/2026-01/x.html", "faults_annotated/b.xlsx", "ufa.duckdb", "ufa.duckdb.wal", "报送模板.xlsx"} {
		p = filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := pipeline.DemoPrepare(dir); err != nil {
		t.Fatalf("the demo's own folder refused: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != pipeline.DemoMarker+" 报送模板.xlsx" {
		t.Errorf("after clearing: %s", got)
	}
	for _, bad := range []string{"--scale=0", "--scale=100", "--dir"} {
		if code, _, _ := ingestRun("demo", bad); code != exitFailed {
			t.Errorf("demo %s: exit %d", bad, code)
		}
	}
}
