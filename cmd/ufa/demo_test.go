//go:build cgo

package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ufa/pipeline"
	"ufa/portal"
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
	demoPortal(t, stdout, dir)
}

// demoPortal: the portal starts on the demo warehouse as the demo says,
// and the accounts it lists log in with the demo password it prints.
func demoPortal(t *testing.T, stdout, dir string) {
	db := filepath.Join(dir, "ufa.duckdb")
	m := regexp.MustCompile(`启动：\S+ serve (.+)`).FindStringSubmatch(stdout)
	if m == nil || !strings.Contains(stdout, "密码都是 "+portal.DemoPassword) {
		t.Fatalf("the demo does not say how to start the portal, or the password\n%s", stdout)
	}
	args := strings.Fields(m[1])
	if len(args) < 3 || args[0] != "--db" || args[1] != db {
		t.Fatalf("serve line %q does not name the demo warehouse %s", m[0], db)
	}
	var accounts []string
	for _, l := range strings.Split(stdout, "\n") {
		if f := strings.Fields(l); len(f) == 2 && (f[0] == "office" || f[0] == "leader" || strings.HasPrefix(f[0], "city")) {
			accounts = append(accounts, f[0])
		}
	}
	if len(accounts) != 16 {
		t.Fatalf("%d demo accounts listed, want office, leader and 14 cities\n%s", len(accounts), stdout)
	}
	stderr, addr, stop := serveFor(t, args[1], args[2:]...)
	defer func() {
		if code := stop(); code != exitOK {
			t.Errorf("serve exit %d\n%s", code, stderr)
		}
	}()
	for _, name := range accounts {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		res, err := c.PostForm("http://"+addr+"/login", url.Values{"username": {name}, "password": {portal.DemoPassword}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Request.URL.Path == "/login" {
			t.Errorf("%s does not log in with the demo password: %d %s\n%s", name, res.StatusCode, res.Request.URL, stderr)
			continue
		}
		want := map[string]string{"office": "报送看板", "leader": "看板"}[name]
		if want == "" {
			want = "上传工作簿"
		}
		if !strings.Contains(string(body), want) {
			t.Errorf("%s's home lacks %q:\n%s", name, want, body)
		}
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
