//go:build cgo

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ufa/ingest"
	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/metrics"
	"ufa/transform"
)

// Hostile texts written into one city's workbook: they must stay text in
// everything ufa writes.
const (
	runHostileOrg = "=1+1"
	runHostileBy  = "@SUM(A1)"
)

// runExpect is what the summary of a month must say, worked out from
// what ufa gen wrote.
type runExpect struct {
	accepted []string // cities, in code order
	replaced []string // "城市（替换 文件）"
	rejected []gen.File
	missing  []string
	late     []gen.File
}

func runExpected(book *spec.Book, sum *gen.Summary, month string) runExpect {
	var e runExpect
	has := map[string]bool{}
	for _, f := range sum.Files {
		if f.Month != month {
			continue
		}
		switch f.Kind {
		case gen.KindRegular, gen.KindLate, gen.KindCorrection:
			has[f.City] = true
		case gen.KindRejected:
			e.rejected = append(e.rejected, f)
		}
		if f.Kind == gen.KindLate {
			e.late = append(e.late, f)
		}
		if f.Kind == gen.KindCorrection {
			e.replaced = append(e.replaced, fmt.Sprintf("%s（替换 %s）", f.City, gen.FileName(f.City, month)))
		}
	}
	for _, c := range book.Cities {
		if has[c.Name] {
			e.accepted = append(e.accepted, c.Name)
		} else {
			e.missing = append(e.missing, c.Name)
		}
	}
	return e
}

func runList(xs []string) string {
	if len(xs) == 0 {
		return "无"
	}
	return strings.Join(xs, "、")
}

// runEdit changes one city's workbook in place as a clerk might: the
// first organization's name and the cover's 填报人 (hostile texts), and
// checks the workbook still validates and reads them back as written.
func runEdit(t *testing.T, book *spec.Book, path, orgName, filledBy string) {
	t.Helper()
	ctx := context.Background()
	wb, fs := ingest.Read(ctx, book, path)
	if wb == nil {
		t.Fatalf("%s: %v", path, fs)
	}
	org := wb.Tables[spec.SheetOrganizations]
	cover := wb.Tables[spec.SheetCover]
	nameCol := org.Cols[org.Spec.ColumnIndex("name")]
	byLine := cover.Lines[cover.Spec.ColumnIndex("filled_by")]
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStr(org.Name, nameCol+strconv.Itoa(org.Rows[0].Line), orgName); err != nil {
		t.Fatal(err)
	}
	// The cover's content column is the one right of the item names.
	if err := f.SetCellStr(cover.Name, "B"+strconv.Itoa(byLine), filledBy); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res := ingest.Validate(ctx, book, path, ingest.Options{})
	if res.Errors() > 0 {
		t.Fatalf("edited %s has errors: %v", path, res.Findings)
	}
	org = res.Workbook.Tables[spec.SheetOrganizations]
	cover = res.Workbook.Tables[spec.SheetCover]
	if got := org.Rows[0].Values[org.Spec.ColumnIndex("name")].S; got != orgName {
		t.Fatalf("edited organization name reads %q", got)
	}
	if got := cover.Rows[0].Values[cover.Spec.ColumnIndex("filled_by")].S; got != filledBy {
		t.Fatalf("edited 填报人 reads %q", got)
	}
}

// runNoFormula fails when a cell holding one of the texts is a formula,
// and returns how many cells hold them.
func runNoFormula(t *testing.T, path string, texts ...string) int {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	found := 0
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				formula, err := f.GetCellFormula(sh, cell)
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range texts {
					if strings.TrimPrefix(formula, "=") == strings.TrimPrefix(x, "=") && formula != "" {
						t.Errorf("%s %s!%s: %q became the formula %q", filepath.Base(path), sh, cell, x, formula)
					}
					if v == x {
						found++
						if formula != "" {
							t.Errorf("%s %s!%s: %q is a formula %q", filepath.Base(path), sh, cell, v, formula)
						}
					}
				}
			}
		}
	}
	return found
}

// The monthly job on ufa gen's inboxes for two consecutive months (with
// a rejected first attempt, a correction, a late and a skipped city): the
// summary's lines, the exit codes, the dashboards, the report, annotated
// copies of the rejected workbooks, a late correction of the first month
// arriving with the second, hostile names kept as text, and the same
// inbox run again.
func TestRunTwoMonths(t *testing.T) {
	t.Setenv("UFA_KEY_FILE", "")
	t.Setenv("UFA_DEMO_KEY", "")
	ctx := context.Background()
	book := spec.Load()
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	// With --faults, two months get two rejected first attempts, two
	// corrections, a late and a skipped city-month (checked below).
	sum, err := gen.Generate(ctx, book, gen.Options{Out: inbox, From: "2026-01", To: "2026-02", Scale: 0.01, Faults: true, Seed: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	months := []string{"2026-01", "2026-02"}
	var all runExpect
	for _, m := range months {
		e := runExpected(book, sum, m)
		all.rejected = append(all.rejected, e.rejected...)
		all.replaced = append(all.replaced, e.replaced...)
		all.late = append(all.late, e.late...)
		all.missing = append(all.missing, e.missing...)
	}
	if len(all.rejected) == 0 || len(all.replaced) == 0 || len(all.late) == 0 || len(all.missing) == 0 {
		t.Fatalf("seed gives rejected %d, replaced %d, late %d, missing %d: every kind is needed", len(all.rejected), len(all.replaced), len(all.late), len(all.missing))
	}

	// The hostile names go into a regular workbook of the second month of
	// a city that has no correction that month (so it stays current).
	var hostile gen.File
	for _, f := range sum.Files {
		if f.Month == months[1] && f.Kind == gen.KindRegular && !slices.ContainsFunc(sum.Files, func(g gen.File) bool {
			return g.Month == f.Month && g.City == f.City && g.Kind == gen.KindCorrection
		}) {
			hostile = f
			break
		}
	}
	runEdit(t, book, filepath.Join(inbox, filepath.FromSlash(hostile.Path)), runHostileOrg, runHostileBy)

	// A correction of the first month that arrives with the second: a copy
	// of a current first-month workbook with another 填报人.
	var early gen.File
	for _, f := range sum.Files {
		if f.Month == months[0] && f.Kind == gen.KindRegular && f.City != hostile.City && !slices.ContainsFunc(sum.Files, func(g gen.File) bool {
			return g.Month == f.Month && g.City == f.City && g.Kind == gen.KindCorrection
		}) {
			early = f
			break
		}
	}
	data, err := os.ReadFile(filepath.Join(inbox, filepath.FromSlash(early.Path)))
	if err != nil {
		t.Fatal(err)
	}
	earlyFix := filepath.Join(inbox, months[1], strings.TrimSuffix(filepath.Base(early.Path), ".xlsx")+"_补正.xlsx")
	if err := os.WriteFile(earlyFix, data, 0o644); err != nil {
		t.Fatal(err)
	}
	runEdit(t, book, earlyFix, "补正后的组织名称", "补正人")

	db := filepath.Join(dir, "ufa.duckdb")
	scheme := metrics.DefaultScheme()
	for i, m := range months {
		e := runExpected(book, sum, m)
		out := filepath.Join(dir, "out", m)
		code, stdout, stderr := ingestRun("run", "--db", db, "--month", m, "--inbox", filepath.Join(inbox, m), "--out", out)
		want := exitOK
		if len(e.rejected) > 0 {
			want = exitFindings
		}
		if code != want {
			t.Fatalf("%s: exit %d, want %d\n%s%s", m, code, want, stdout, stderr)
		}
		_, summary, ok := strings.Cut(stdout, "【"+m+" 月度考核汇总】")
		if !ok {
			t.Fatalf("%s: no summary\n%s", m, stdout)
		}
		mt, _ := metrics.ParseMonth(m)
		lines := []string{
			fmt.Sprintf("已接收（%d 个市）：%s\n", len(e.accepted), runList(e.accepted)),
			fmt.Sprintf("被拒收（%d 个文件）", len(e.rejected)),
			fmt.Sprintf("未报送（%d 个市，本月没有被接收的工作簿）：%s\n", len(e.missing), runList(e.missing)),
			fmt.Sprintf("迟报（%d 个市，填报日期晚于 %s）：", len(e.late), scheme.Deadline(mt).Format("2006-01-02")),
			"看板首页：" + filepath.Join(out, "dashboards", "index.html") + "\n",
			"考核报告：" + filepath.Join(out, m+"_考核报告.xlsx") + "\n",
			"数据库：  " + db + "\n",
		}
		if len(e.replaced) > 0 {
			lines = append(lines, "其中替换了此前的版本："+strings.Join(e.replaced, "、")+"\n")
		}
		for _, f := range e.late {
			lines = append(lines, fmt.Sprintf("%s（填报日期 %s）", f.City, f.FiledOn))
		}
		for _, f := range e.rejected {
			name := filepath.Base(f.Path)
			copyPath := filepath.Join(out, "rejected", strings.TrimSuffix(name, ".xlsx")+"_校验.xlsx")
			lines = append(lines, fmt.Sprintf("  %s（%s %s）：", name, f.City, m), "个错误，", "标注副本 "+copyPath+"\n")
			if _, err := os.Stat(copyPath); err != nil {
				t.Errorf("%s: no annotated copy of %s: %v", m, name, err)
			}
		}
		if i == 1 {
			// The first month's correction: listed apart, and the first
			// month computed again.
			lines = append(lines, "其他月份的报送：\n  "+filepath.Base(earlyFix)+"（"+early.City+" "+months[0]+"）：已替换前一版本（"+filepath.Base(early.Path)+"）",
				"已计算指标："+months[0]+"（本次收到该月的报送）、"+m+"\n")
		} else {
			lines = append(lines, "已计算指标："+m+"\n")
		}
		for _, l := range lines {
			if !strings.Contains(summary, l) {
				t.Errorf("%s: the summary lacks %q\n%s", m, l, summary)
			}
		}
		if _, err := os.Stat(filepath.Join(out, "dashboards", "index.html")); err != nil {
			t.Errorf("%s: dashboards: %v", m, err)
		}
		runCheckReport(t, book, filepath.Join(out, m+"_考核报告.xlsx"), e.accepted)
	}

	// The hostile texts stay text: 填报人 in the report's status sheet,
	// the organization name in a query's Excel output.
	if n := runNoFormula(t, filepath.Join(dir, "out", months[1], months[1]+"_考核报告.xlsx"), runHostileOrg, runHostileBy); n == 0 {
		t.Errorf("the report does not show %q (填报人 of %s)", runHostileBy, hostile.City)
	}
	q := filepath.Join(dir, "q.xlsx")
	if code, stdout, stderr := ingestRun("query", "--db", db, "--format", "xlsx", "-o", q,
		"SELECT name FROM cur_organizations WHERE name LIKE '=%'"); code != exitOK {
		t.Fatalf("query: exit %d\n%s%s", code, stdout, stderr)
	}
	if n := runNoFormula(t, q, runHostileOrg); n != 1 {
		t.Errorf("query output holds %q in %d cells, want 1", runHostileOrg, n)
	}

	// The first month again, same inbox: nothing new, nothing rejected.
	m := months[0]
	e := runExpected(book, sum, m)
	files, _ := filepath.Glob(filepath.Join(inbox, m, "*.xlsx"))
	out := filepath.Join(dir, "again")
	code, stdout, stderr := ingestRun("run", "--db", db, "--month", m, "--inbox", filepath.Join(inbox, m), "--out", out)
	if code != exitOK {
		t.Fatalf("again: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, l := range []string{
		"已接收（0 个市）：无\n",
		"此前已接收（本次没有新文件）：" + runList(e.accepted) + "\n",
		"被拒收（0 个文件）：无\n",
		fmt.Sprintf("未变化（%d 个文件）：\n", len(files)),
		"与此前被拒收的文件相同，仍未导入",
		"已计算指标：" + m + "\n",
	} {
		if !strings.Contains(stdout, l) {
			t.Errorf("again: the summary lacks %q\n%s", l, stdout)
		}
	}
	// The copies of workbooks rejected before are written again for this
	// output folder.
	for _, f := range e.rejected {
		name := strings.TrimSuffix(filepath.Base(f.Path), ".xlsx") + "_校验.xlsx"
		if _, err := os.Stat(filepath.Join(out, "rejected", name)); err != nil {
			t.Errorf("again: %v", err)
		}
	}
}

// runCheckReport reads the report back: a ranking sheet with one row per
// city that submitted, each with a score.
func runCheckReport(t *testing.T, book *spec.Book, path string, accepted []string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Errorf("report: %v", err)
		return
	}
	defer f.Close()
	sheets := f.GetSheetList()
	var ranking string
	for _, s := range sheets {
		if strings.Contains(s, "排名") || strings.Contains(s, "综合") {
			ranking = s
			break
		}
	}
	if ranking == "" {
		t.Errorf("report %s has no ranking sheet: %v", path, sheets)
		return
	}
	rows, err := f.GetRows(ranking)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		for _, c := range r {
			if _, ok := book.City(c); ok && strings.HasSuffix(c, "市") {
				seen[c] = true
			}
		}
	}
	for _, c := range accepted {
		if !seen[c] {
			t.Errorf("report %s: %s not on the ranking sheet %s", path, c, ranking)
		}
	}
}

// Bad arguments and outputs that cannot be written are exit 2 before the
// warehouse is touched; a warehouse another process holds is exit 2.
func TestRunCannotWork(t *testing.T) {
	t.Setenv("UFA_KEY_FILE", "")
	t.Setenv("UFA_DEMO_KEY", "")
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	if err := os.MkdirAll(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "plain.txt")
	if err := os.WriteFile(plain, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "ufa.duckdb")
	out := filepath.Join(dir, "out")
	for _, c := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no month", []string{"--inbox", inbox, "--out", out}, "缺少 --month"},
		{"bad month", []string{"--month", "2026-13", "--inbox", inbox, "--out", out}, "2026-13"},
		{"no inbox", []string{"--month", "2026-01", "--out", out}, "缺少 --inbox"},
		{"no out", []string{"--month", "2026-01", "--inbox", inbox}, "缺少 --out"},
		{"inbox absent", []string{"--month", "2026-01", "--inbox", filepath.Join(dir, "nope"), "--out", out}, "不存在"},
		{"inbox a file", []string{"--month", "2026-01", "--inbox", plain, "--out", out}, "不是文件夹"},
		{"out under a file", []string{"--month", "2026-01", "--inbox", inbox, "--out", filepath.Join(plain, "out")}, "无法创建输出文件夹"},
		{"extra argument", []string{"--month", "2026-01", "--inbox", inbox, "--out", out, "more"}, "多余的参数"},
		{"two keys", []string{"--month", "2026-01", "--inbox", inbox, "--out", out, "--demo-key", "--key-file", plain}, "只能给一个"},
		{"bad scheme", []string{"--month", "2026-01", "--inbox", inbox, "--out", out, "--scheme", plain}, plain},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := ingestRun(append([]string{"run", "--db", db}, c.args...)...)
			if code != exitFailed || !strings.Contains(stderr, c.msg) {
				t.Errorf("exit %d, want 2 with %q\n%s%s", code, c.msg, stdout, stderr)
			}
			if _, err := os.Stat(db); err == nil {
				t.Errorf("the warehouse was created")
			}
		})
	}
	if !testing.Short() {
		// Unreadable output: a read-only folder (root can write anywhere).
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		if f, err := os.CreateTemp(ro, "probe"); err == nil {
			f.Close()
			t.Log("running as a user who may write a read-only folder: that case is skipped")
		} else {
			code, stdout, stderr := ingestRun("run", "--db", db, "--month", "2026-01", "--inbox", inbox, "--out", ro)
			if code != exitFailed || !strings.Contains(stderr, "无法写入") {
				t.Errorf("read-only out: exit %d\n%s%s", code, stdout, stderr)
			}
		}
	}

	// An empty inbox still computes the month: every city missing.
	code, stdout, stderr := ingestRun("run", "--db", db, "--demo-key", "--month", "2026-01", "--inbox", inbox, "--out", out)
	if code != exitOK || !strings.Contains(stdout, "收件箱中没有 .xlsx 工作簿") || !strings.Contains(stdout, "未报送（14 个市") {
		t.Errorf("empty inbox: exit %d\n%s%s", code, stdout, stderr)
	}

	// Held by another process.
	w, err := transform.Open(context.Background(), db, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestIngestHelperProcess$", "--", "run", "--db", db, "--demo-key",
		"--month", "2026-01", "--inbox", inbox, "--out", out)
	cmd.Env = append(os.Environ(), "UFA_INGEST_HELPER=1")
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != exitFailed || !strings.Contains(se.String(), "数据库正被另一个 ufa 进程使用") {
		t.Errorf("held warehouse: exit %d\n%s%s", code, so.String(), se.String())
	}
}
