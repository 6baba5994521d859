//go:build cgo

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/transform"
)

func ingestRun(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

// ingestCount counts the rows of a table or view of a closed warehouse.
func ingestCount(t *testing.T, db string, tables ...string) map[string]int64 {
	t.Helper()
	w, err := transform.Open(context.Background(), db, transform.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	out := map[string]int64{}
	for _, name := range tables {
		n, err := w.Count(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = n
	}
	return out
}

// A year of ufa gen output with its submission history (rejected first
// attempts, corrections, a late and a skipped month) goes in with one
// line per file; the same folders again change nothing.
func TestIngestGeneratedYear(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads a year")
	}
	ctx := context.Background()
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	sum, err := gen.Generate(ctx, spec.Load(), gen.Options{Out: inbox, Scale: 0.02, Faults: true, Seed: 7}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var months []string
	for m := 1; m <= 12; m++ {
		months = append(months, filepath.Join(inbox, fmt.Sprintf("2026-%02d", m)))
	}
	db := filepath.Join(dir, "ufa.duckdb")
	args := append([]string{"ingest", "--db", db}, months...)

	code, out, errs := ingestRun(args...)
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 (rejected first attempts)\n%s\n%s", code, out, errs)
	}
	if errs != "" {
		t.Errorf("stderr is not a terminal, yet got %q", errs)
	}
	files := len(sum.Files) - sum.Count(gen.KindFault)
	lines := map[string]int{}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "共 ") {
			continue // the summary
		}
		for _, word := range []string{"：已接收", "：已替换前一版本", "：未变化（相同文件已导入）", "：被拒收："} {
			if strings.Contains(l, word) {
				lines[word]++
			}
		}
	}
	want := map[string]int{
		"：已接收":     sum.Count(gen.KindRegular) + sum.Count(gen.KindLate),
		"：已替换前一版本": sum.Count(gen.KindCorrection),
		"：被拒收：":    sum.Count(gen.KindRejected),
	}
	for k, v := range want {
		if lines[k] != v {
			t.Errorf("%d lines %s, want %d", lines[k], k, v)
		}
	}
	if sum.Count(gen.KindCorrection) == 0 || sum.Count(gen.KindRejected) == 0 {
		t.Fatal("gen wrote no corrections or rejected attempts: the test proves little")
	}
	if !strings.Contains(out, fmt.Sprintf("共 %d 个文件", files)) {
		t.Errorf("summary missing: %s", out[max(0, len(out)-300):])
	}

	// The current rows are those of the latest valid file of each city-month.
	latest := map[string]gen.File{}
	for _, f := range sum.Files {
		if f.Kind == gen.KindFault || f.Kind == gen.KindRejected {
			continue
		}
		k := f.City + f.Month
		if cur, ok := latest[k]; !ok || f.FiledOn > cur.FiledOn {
			latest[k] = f
		}
	}
	var orgs, reps int64
	for _, f := range latest {
		orgs += int64(f.Rows[spec.SheetOrganizations])
		reps += int64(f.Rows[spec.SheetRepresentatives])
	}
	got := ingestCount(t, db, "cur_submissions", "cur_organizations", "cur_representatives")
	if got["cur_submissions"] != int64(14*12-len(sum.Skipped)) || got["cur_submissions"] != int64(len(latest)) {
		t.Errorf("%d current submissions, want %d (14 × 12 − %d skipped)", got["cur_submissions"], len(latest), len(sum.Skipped))
	}
	if got["cur_organizations"] != orgs || got["cur_representatives"] != reps {
		t.Errorf("current organizations %d (want %d), representatives %d (want %d)", got["cur_organizations"], orgs, got["cur_representatives"], reps)
	}

	// Again: nothing changes, every file says so, exit 0.
	before := ingestCount(t, db, "organizations", "representatives", "findings")
	code, out, _ = ingestRun(args...)
	if code != exitOK || strings.Count(out, "：未变化（相同文件") != files {
		t.Errorf("second run: exit %d, %d unchanged lines of %d\n%s", code, strings.Count(out, "：未变化（相同文件"), files, out)
	}
	if after := ingestCount(t, db, "organizations", "representatives", "findings"); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the second run changed the warehouse: %v -> %v", before, after)
	}
}

// Two versions of one city-month in one batch: the one filed later is
// current, whatever the file names say.
func TestIngestOrderByFilingDate(t *testing.T) {
	dir := t.TempDir()
	later := testbook.Valid()
	later.Set("封面", 0, "填报日期", "2026-11-04")
	later.Sheet("社会组织").Rows = append(later.Sheet("社会组织").Rows,
		[]any{testbook.CreditCode("51", testbook.CityCode, 9), "后报协会", "社会团体", "其他", "和平区", "市级", 3, 1, 2, "否", "", "是", 0, ""})
	if _, err := later.WriteIn(dir, "a.xlsx"); err != nil {
		t.Fatal(err)
	}
	if _, err := testbook.Valid().WriteIn(dir, "b.xlsx"); err != nil { // filed 2026-11-03
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "ufa.duckdb")
	code, out, errs := ingestRun("ingest", "--db", db, "--demo-key", dir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	ia, ib := strings.Index(out, "a.xlsx（沈阳市 2026-10）：已替换前一版本（b.xlsx）"), strings.Index(out, "b.xlsx（沈阳市 2026-10）：已接收")
	if ia < 0 || ib < 0 || ib > ia {
		t.Errorf("want b.xlsx accepted first, then a.xlsx replacing it:\n%s", out)
	}
	if n := ingestCount(t, db, "cur_organizations")["cur_organizations"]; n != testbook.OrgCount+1 {
		t.Errorf("current organizations %d, want the later file's %d", n, testbook.OrgCount+1)
	}
}

func TestIngestRejected(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "ufa.duckdb")
	good, _ := testbook.Valid().WriteIn(dir, testbook.FileName)
	if code, out, errs := ingestRun("ingest", "--db", db, "--demo-key", good); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	tables := []string{"organizations", "representatives", "participants", "cur_submissions", "submissions"}
	before := ingestCount(t, db, tables...)
	b := testbook.Valid()
	b.Set("社会组织", 1, "统一社会信用代码", "51210100MJ0000018W") // check character wrong
	b.Set("封面", 0, "填报日期", "2026-11-09")
	bad, _ := b.WriteIn(t.TempDir(), testbook.FileName)
	code, out, _ := ingestRun("ingest", "--db", db, "--demo-key", bad)
	if code != exitFindings || !strings.Contains(out, testbook.FileName+"（沈阳市 2026-10）：被拒收：") || !strings.Contains(out, "ufa validate") {
		t.Errorf("exit %d\n%s", code, out)
	}
	after := ingestCount(t, db, tables...)
	for _, k := range tables {
		want := before[k]
		if k == "submissions" {
			want++ // the attempt is recorded
		}
		if after[k] != want {
			t.Errorf("%s: %d -> %d", k, before[k], after[k])
		}
	}
	// The same rejected file again is not checked again.
	code, out, _ = ingestRun("ingest", "--db", db, "--demo-key", bad)
	if code != exitOK || !strings.Contains(out, "未变化（相同文件此前被拒收") {
		t.Errorf("rejected file again: exit %d\n%s", code, out)
	}
}

func TestIngestKeys(t *testing.T) {
	dir := t.TempDir()
	wb, _ := testbook.Valid().WriteIn(dir, testbook.FileName)
	db := filepath.Join(t.TempDir(), "ufa.duckdb")

	code, out, errs := ingestRun("ingest", "--db", db, wb)
	if code != exitOK || !strings.Contains(out, "已为新数据库生成省级密钥文件 "+db+".key") || !strings.Contains(out, "妥善保管") {
		t.Fatalf("new warehouse: exit %d\n%s%s", code, out, errs)
	}
	if st, err := os.Stat(db + ".key"); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	// Found beside the warehouse next time, without a word.
	code, out, _ = ingestRun("ingest", "--db", db, wb)
	if code != exitOK || strings.Contains(out, "密钥") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	// Without it: refused.
	moved := filepath.Join(t.TempDir(), "province.key")
	if err := os.Rename(db+".key", moved); err != nil {
		t.Fatal(err)
	}
	code, _, errs = ingestRun("ingest", "--db", db, wb)
	if code != exitFailed || !strings.Contains(errs, "没有找到省级密钥") || !strings.Contains(errs, "--key-file") {
		t.Errorf("no key: exit %d %s", code, errs)
	}
	// Named by flag or environment: fine.
	if code, out, errs := ingestRun("ingest", "--db", db, "--key-file", moved, wb); code != exitOK {
		t.Errorf("--key-file: exit %d\n%s%s", code, out, errs)
	}
	t.Setenv("UFA_KEY_FILE", moved)
	if code, out, errs := ingestRun("ingest", "--db", db, wb); code != exitOK {
		t.Errorf("UFA_KEY_FILE: exit %d\n%s%s", code, out, errs)
	}
	t.Setenv("UFA_KEY_FILE", "")
	// Another key: refused.
	code, _, errs = ingestRun("ingest", "--db", db, "--demo-key", wb)
	if code != exitFailed || !strings.Contains(errs, "省级密钥与数据库不符") {
		t.Errorf("other key: exit %d %s", code, errs)
	}
	// The demo key says what it is.
	t.Setenv("UFA_DEMO_KEY", "1")
	code, out, _ = ingestRun("ingest", "--db", filepath.Join(t.TempDir(), "demo.duckdb"), wb)
	if code != exitOK || !strings.Contains(out, "公开的演示密钥") {
		t.Errorf("demo key: exit %d\n%s", code, out)
	}
	if code, _, _ := ingestRun("ingest", "--db", db, "--demo-key", "--key-file", moved, wb); code != exitFailed {
		t.Errorf("both --demo-key and --key-file: exit %d", code)
	}
}

func TestIngestBadArguments(t *testing.T) {
	dir := t.TempDir()
	wb, _ := testbook.Valid().WriteIn(dir, testbook.FileName)
	empty := t.TempDir()
	garbage := filepath.Join(t.TempDir(), "garbage.duckdb")
	os.WriteFile(garbage, bytes.Repeat([]byte("garbage!"), 4096), 0o644)
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no paths", []string{"ingest"}, "缺少要导入的文件"},
		{"missing file", []string{"ingest", "--demo-key", filepath.Join(dir, "none.xlsx")}, "找不到"},
		{"empty folder", []string{"ingest", "--demo-key", empty}, "没有找到 .xlsx"},
		{"unreadable warehouse", []string{"ingest", "--db", garbage, "--demo-key", wb}, "无法打开数据库"},
		{"export without --out", []string{"export", "--db", garbage}, "--out"},
		{"export of no warehouse", []string{"export", "--db", filepath.Join(empty, "none.duckdb"), "--out", empty}, "找不到数据库"},
	}
	for _, tt := range tests {
		code, out, errs := ingestRun(tt.args...)
		if code != exitFailed || !strings.Contains(errs, tt.msg) {
			t.Errorf("%s: exit %d, stderr %q (stdout %q)", tt.name, code, errs, out)
		}
	}
}

// TestIngestHelperProcess is not a test: TestIngestSecondWriter runs the
// test binary again as a second ufa process with the arguments after "--".
func TestIngestHelperProcess(t *testing.T) {
	if os.Getenv("UFA_INGEST_HELPER") != "1" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(run(context.Background(), args, os.Stdout, os.Stderr))
}

// A second ufa process writing a warehouse that this one holds open is
// refused with a clear message and exit 2, and the warehouse is intact.
func TestIngestSecondWriter(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	wb, _ := testbook.Valid().WriteIn(dir, testbook.FileName)
	db := filepath.Join(t.TempDir(), "ufa.duckdb")
	if code, out, errs := ingestRun("ingest", "--db", db, "--demo-key", wb); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	w, err := transform.Open(ctx, db, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"ingest", "--db", db, "--demo-key", wb}, {"export", "--db", db, "--out", t.TempDir()}} {
		cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestIngestHelperProcess$", "--"}, args...)...)
		cmd.Env = append(os.Environ(), "UFA_INGEST_HELPER=1")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err = cmd.Run()
		code := cmd.ProcessState.ExitCode()
		if code != exitFailed || !strings.Contains(stderr.String(), "数据库正被另一个 ufa 进程使用，请等它结束后再试") {
			t.Errorf("%s while held: exit %d (%v)\nstdout %s\nstderr %s", args[0], code, err, stdout.String(), stderr.String())
		}
	}
	w.Close()
	if n := ingestCount(t, db, "cur_organizations")["cur_organizations"]; n != testbook.OrgCount {
		t.Errorf("after the refused writer: %d organizations", n)
	}
}

func TestExportCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	book := spec.Load()
	for _, name := range []string{"沈阳市", "鞍山市"} {
		c, _ := book.City(name)
		if _, err := testbook.ValidFor(c, "2026-04").WriteIn(dir, testbook.FileNameFor(c, "2026-04")); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(t.TempDir(), "ufa.duckdb")
	if code, out, errs := ingestRun("ingest", "--db", db, "--demo-key", dir); code != exitOK {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errs)
	}
	out := filepath.Join(t.TempDir(), "导出")
	code, stdout, errs := ingestRun("export", "--db", db, "--out", out)
	if code != exitOK || !strings.Contains(stdout, "已导出") {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, errs)
	}
	w, err := transform.Open(ctx, db, transform.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, table := range []string{"organizations", "representatives", "cover", "mechanisms", "submissions", "findings"} {
		pattern := filepath.Join(out, table, "**", "*.parquet")
		if _, err := os.Stat(filepath.Join(out, table+".parquet")); err == nil {
			pattern = filepath.Join(out, table+".parquet")
		}
		var back int64
		if err := w.DB().QueryRow("SELECT count(*) FROM read_parquet(?, hive_partitioning = true)", pattern).Scan(&back); err != nil {
			t.Errorf("%s: %v", table, err)
			continue
		}
		if n, _ := w.Count(ctx, table); n != back || n == 0 && table != "findings" {
			t.Errorf("%s: %d rows, %d read back", table, n, back)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "organizations", "month=2026-04", "city=210300")); err != nil {
		t.Errorf("鞍山's partition: %v", err)
	}
}
