package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ufa/ingest"
	"ufa/internal/testing/testbook"
)

// validateFiles writes the workbooks the command tests use: a valid one,
// one with a single error, one with a single warning, and a file that is
// not a workbook.
type validateFiles struct {
	dir, valid, faulty, warning, junk string
}

func writeValidateFiles(t *testing.T) validateFiles {
	t.Helper()
	dir := t.TempDir()
	var v validateFiles
	v.dir = dir
	var err error
	if v.valid, err = testbook.Valid().WriteIn(dir, testbook.FileName); err != nil {
		t.Fatal(err)
	}
	bad := testbook.Valid()
	bad.Set("社会组织", 0, "成立日期", "2030-01-15") // after the month: E_RANGE, nothing else
	if v.faulty, err = bad.WriteIn(dir, "沈阳市_2026-10_错.xlsx"); err != nil {
		t.Fatal(err)
	}
	warn := testbook.Valid()
	warn.Set("封面", 0, "模板版本", "2025.1")
	if v.warning, err = warn.WriteIn(dir, "沈阳市_2026-10_旧版.xlsx"); err != nil {
		t.Fatal(err)
	}
	v.junk = filepath.Join(dir, "沈阳市_2026-10_坏.xlsx")
	if err := os.WriteFile(v.junk, []byte("这不是一个 xlsx 文件"), 0o644); err != nil {
		t.Fatal(err)
	}
	return v
}

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestValidateReport(t *testing.T) {
	v := writeValidateFiles(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		want   []string
		unwant []string
	}{
		{"valid", []string{"validate", v.valid}, 0,
			[]string{"文件：" + v.valid + "（填报单位：沈阳市，报送月份：2026-10）", "未发现问题", "0 个错误，0 个警告；可以上报"}, []string{"共 "}},
		{"one error", []string{"validate", v.faulty}, 1,
			[]string{"【社会组织】1 条", "错误 E_RANGE 社会组织!N2 成立日期 值“2030-01-15”", "1 个错误，0 个警告；不能上报：请改正全部错误后重新校验"}, nil},
		{"warning only", []string{"validate", v.warning}, 0,
			[]string{"警告 W_TEMPLATE_VERSION 封面!B7 模板版本 值“2025.1”", "0 个错误，1 个警告；可以上报"}, nil},
		{"unreadable", []string{"validate", v.junk}, 1,
			[]string{"（填报单位：未能识别，报送月份：未能识别）", "【整个文件】1 条", "错误 E_FILE 整个文件"}, nil},
		{"several files, flags after them", []string{"validate", v.valid, v.faulty, "--city", "沈阳"}, 1,
			[]string{"可以上报\n\n文件：", "共 2 个文件：1 个可以上报，1 个不能上报；合计 1 个错误，0 个警告\n"}, nil},
		{"a folder", []string{"validate", v.dir}, 1,
			[]string{"共 4 个文件：2 个可以上报，2 个不能上报；合计 2 个错误，1 个警告"}, nil},
		{"a pattern (Windows shells do not expand it)", []string{"validate", filepath.Join(v.dir, "*旧版.xlsx")}, 0,
			[]string{"W_TEMPLATE_VERSION"}, []string{"共 "}},
		{"city differs from the cover", []string{"validate", "--city", "大连市", v.valid}, 1,
			[]string{"错误 E_COVER 封面"}, nil},
		{"month differs from the cover", []string{"validate", "--month", "2026-09", v.valid}, 1,
			[]string{"错误 E_COVER 封面"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.unwant {
				if strings.Contains(out, w) {
					t.Errorf("stdout has %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	v := writeValidateFiles(t)
	outDir := filepath.Join(t.TempDir(), "标注")
	code, out, errOut := runCmd(t, "validate", "--json", "--annotate", outDir, v.valid, v.faulty, v.junk, v.warning)
	if code != 1 {
		t.Errorf("exit %d, want 1; stderr %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines for 4 files; stdout must hold only the JSON lines:\n%s", len(lines), out)
	}
	var rs []ingest.JSONResult
	for i, l := range lines {
		var r ingest.JSONResult
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
		}
		rs = append(rs, r)
	}
	str := func(p *string) string {
		if p == nil {
			return "null"
		}
		return *p
	}
	for i, want := range []struct {
		file, city, code, month string
		errors, warnings        int
		first                   string
	}{
		{v.valid, "沈阳市", "210100", "2026-10", 0, 0, ""},
		{v.faulty, "沈阳市", "210100", "2026-10", 1, 0, "E_RANGE"},
		{v.junk, "null", "null", "null", 1, 0, "E_FILE"},
		{v.warning, "沈阳市", "210100", "2026-10", 0, 1, "W_TEMPLATE_VERSION"},
	} {
		r := rs[i]
		if r.File != want.file || str(r.City) != want.city || str(r.CityCode) != want.code || str(r.Month) != want.month ||
			r.Errors != want.errors || r.Warnings != want.warnings || len(r.Findings) != want.errors+want.warnings {
			t.Errorf("line %d = %+v, want %+v", i+1, r, want)
			continue
		}
		if want.first != "" && r.Findings[0].Code != want.first {
			t.Errorf("line %d: first finding %s, want %s", i+1, r.Findings[0].Code, want.first)
		}
	}
	if f := rs[1].Findings[0]; f.Sheet != "社会组织" || f.Row == nil || *f.Row != 2 || f.Column == nil || *f.Column != "N" || f.Field != "founded_on" {
		t.Errorf("E_RANGE placed at %+v", f)
	}
	if f := rs[2].Findings[0]; f.Row != nil || f.Column != nil {
		t.Errorf("E_FILE has row/column: %+v", f)
	}
	if !strings.Contains(lines[0], `"findings":[]`) {
		t.Errorf("clean file: %s", lines[0])
	}
	// The copies: one per readable file, none for the unreadable one, and
	// the notes on stderr.
	for _, name := range []string{testbook.FileName, "沈阳市_2026-10_错.xlsx", "沈阳市_2026-10_旧版.xlsx"} {
		copyName := strings.TrimSuffix(name, ".xlsx") + "_校验.xlsx"
		if _, err := os.Stat(filepath.Join(outDir, copyName)); err != nil {
			t.Errorf("copy %s: %v", copyName, err)
		}
		if !strings.Contains(errOut, "已写出标注副本："+filepath.Join(outDir, copyName)) {
			t.Errorf("stderr does not name the copy %s:\n%s", copyName, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(outDir, "沈阳市_2026-10_坏_校验.xlsx")); !os.IsNotExist(err) {
		t.Error("a copy was written for the unreadable file")
	}
	if !strings.Contains(errOut, "未生成标注副本："+v.junk) {
		t.Errorf("stderr does not explain the missing copy:\n%s", errOut)
	}
}

// ID numbers never leave the command in clear, in either form of output.
func TestValidateMasksIDs(t *testing.T) {
	dir := t.TempDir()
	b := testbook.Valid()
	id := testbook.IDNumber("210102", "20150307", 5, true) // a child: E_ID_NUMBER (age)
	b.Set("代表人士", 0, "公民身份号码", id)
	path, err := b.WriteIn(dir, testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"validate", path}, {"validate", "--json", path}} {
		code, out, _ := runCmd(t, args...)
		if code != 1 || !strings.Contains(out, "E_ID_NUMBER") {
			t.Errorf("%v: exit %d, output:\n%s", args, code, out)
		}
		if strings.Contains(out, id) || !strings.Contains(out, "210102********") {
			t.Errorf("%v: ID number not masked:\n%s", args, out)
		}
	}
}

func TestValidateAnnotate(t *testing.T) {
	v := writeValidateFiles(t)
	orig, err := os.ReadFile(v.faulty)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "标注副本.xlsx")
	code, stdout, stderr := runCmd(t, "validate", "--annotate", out, v.faulty)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
	}
	if !strings.Contains(stdout, "已写出标注副本："+out) {
		t.Errorf("stdout does not name the copy:\n%s", stdout)
	}
	if now, _ := os.ReadFile(v.faulty); !bytes.Equal(now, orig) {
		t.Error("the original workbook changed")
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if first := f.GetSheetList()[0]; first != ingest.ResultsSheet {
		t.Errorf("first sheet %q, want %q", first, ingest.ResultsSheet)
	}
	rows, _ := f.GetRows(ingest.ResultsSheet)
	if len(rows) != 3 || rows[2][2] != "E_RANGE" || rows[2][4] != "N2" {
		t.Errorf("results sheet = %q", rows)
	}
	if ok, target, _ := f.GetCellHyperLink(ingest.ResultsSheet, "E3"); !ok || target != "'社会组织'!N2" {
		t.Errorf("link = %v %q", ok, target)
	}
	cs, _ := f.GetComments("社会组织")
	if len(cs) != 1 || cs[0].Cell != "N2" || cs[0].Author != ingest.CommentAuthor {
		t.Errorf("comments = %+v", cs)
	}

	// One file, --annotate an existing folder: the copy goes inside.
	dir := t.TempDir()
	if code, _, stderr := runCmd(t, "validate", "--annotate", dir, v.valid); code != 0 {
		t.Fatalf("exit %d; %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, strings.TrimSuffix(testbook.FileName, ".xlsx")+"_校验.xlsx")); err != nil {
		t.Error(err)
	}

	// A copy that cannot be written is exit 2, after the report.
	blocked := t.TempDir()
	if err := os.Mkdir(filepath.Join(blocked, strings.TrimSuffix(testbook.FileName, ".xlsx")+"_校验.xlsx"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCmd(t, "validate", "--annotate", blocked, v.valid, v.warning)
	if code != 2 || !strings.Contains(stdout, "共 2 个文件") || !strings.Contains(stderr, "未能写出") {
		t.Errorf("blocked copy: exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

func TestValidateUsage(t *testing.T) {
	v := writeValidateFiles(t)
	notThere := filepath.Join(v.dir, "没有这个文件.xlsx")
	tests := []struct {
		name string
		args []string
		want string // on stderr
	}{
		{"no files", []string{"validate"}, "缺少要校验的工作簿"},
		{"unknown flag", []string{"validate", "--colour", v.valid}, "colour"},
		{"bad month", []string{"validate", "--month", "2026-13", v.valid}, "2026-13"},
		{"month not a month", []string{"validate", "--month", "十月", v.valid}, "十月"},
		{"unknown city", []string{"validate", "--city", "北京市", v.valid}, "北京市"},
		{"missing file", []string{"validate", v.valid, notThere}, "找不到 " + notThere},
		{"annotate into a missing folder", []string{"validate", "--annotate", filepath.Join(v.dir, "无", "x.xlsx"), v.valid}, "不存在"},
		{"annotate not xlsx", []string{"validate", "--annotate", filepath.Join(v.dir, "x.txt"), v.valid}, ".xlsx"},
		{"annotate onto the original", []string{"validate", "--annotate", v.valid, v.valid}, "原文件"},
		{"annotate a file for several", []string{"validate", "--annotate", filepath.Join(v.dir, "x.xlsx"), v.valid, v.faulty}, "文件夹"},
		{"annotate an existing file for several", []string{"validate", "--annotate", v.junk, v.valid, v.faulty}, "文件夹"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, errOut)
			}
			if strings.Contains(out, "文件：") { // usage text is fine, a report is not
				t.Errorf("work was done before refusing:\n%s", out)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(v.dir, "x.xlsx")); !os.IsNotExist(err) {
		t.Error("a refused --annotate left a file or folder behind")
	}

	code, out, _ := runCmd(t, "validate", "--help")
	if code != 0 || !strings.Contains(out, "用法: ufa validate") || !strings.Contains(out, "-annotate") || !strings.Contains(out, "退出码") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
}
