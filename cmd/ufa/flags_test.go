package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestFlagErrorsInChinese: the flag package's English errors come out in
// Chinese, with the hint to the command's help, and no help on stdout.
func TestFlagErrorsInChinese(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"template", "--bogus"}, "没有参数 --bogus"},
		{[]string{"template", "-x"}, "没有参数 -x"},
		{[]string{"template", "-o"}, "参数 -o 后面缺少它的值"},
		{[]string{"gen", "--seed", "abc", "--out", "x"}, "参数 --seed 的值 \"abc\" 不对"},
		{[]string{"gen", "--scale=多", "--out", "x"}, "参数 --scale 的值"},
		{[]string{"validate", "--json=maybe", "a.xlsx"}, "参数 --json 的值"},
		{[]string{"gen", "-=x", "--out", "x"}, "参数的写法不对"},
	}
	for _, tc := range tests {
		code, stdout, stderr := runCLI(tc.args...)
		if code != exitFailed || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, stdout, stderr, tc.want)
		}
		if !strings.Contains(stderr, "运行 ufa "+tc.args[0]+" --help 查看用法") {
			t.Errorf("%v: no hint to the command's help: %q", tc.args, stderr)
		}
		for _, en := range []string{"flag provided", "invalid value", "needs an argument", "bad flag syntax", "parse error"} {
			if strings.Contains(stderr, en) {
				t.Errorf("%v: English in %q", tc.args, stderr)
			}
		}
	}
}

// TestHelpInChinese: every command's help says what it is for, shows its
// flags as --flag with Chinese defaults, and gives an example; asking for
// help is exit 0 with no hint.
func TestHelpInChinese(t *testing.T) {
	singleDash := regexp.MustCompile(`(?m)^  -[a-z][a-z-]+`)
	for _, c := range commands() {
		if strings.Contains(c.summary, "便携版") {
			continue // the validator without the database has no such command
		}
		code, stdout, stderr := runCLI(c.name, "--help")
		if code != exitOK || stderr != "" {
			t.Errorf("%s --help: exit %d, stderr %q", c.name, code, stderr)
			continue
		}
		if purpose := strings.SplitN(stdout, "\n\n", 3); len(purpose) < 3 || strings.HasPrefix(purpose[1], "参数") {
			t.Errorf("%s --help does not say what it is for:\n%s", c.name, stdout)
		}
		if !strings.Contains(stdout, "\n例如:\n  ufa "+c.name) {
			t.Errorf("%s --help has no example:\n%s", c.name, stdout)
		}
		if singleDash.MatchString(stdout) {
			t.Errorf("%s --help shows a long flag with one dash:\n%s", c.name, stdout)
		}
		if strings.Contains(stdout, "(default") || strings.Contains(stdout, "查看用法") {
			t.Errorf("%s --help: English default or a usage-error hint:\n%s", c.name, stdout)
		}
	}
	_, stdout, _ := runCLI("gen", "--help")
	for _, want := range []string{"  --out 文件夹\n", "  --seed 整数\n", "（默认 1）", "  --faults\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("gen --help lacks %q:\n%s", want, stdout)
		}
	}
}

// TestHintOnlyAfterUsageErrors: a failure that is not a bad invocation
// (here: a template that cannot be written) has no "--help" hint.
func TestHintOnlyAfterUsageErrors(t *testing.T) {
	code, _, stderr := runCLI("template", "-o", "/no/such/folder/模板.xlsx")
	if code != exitFailed || strings.Contains(stderr, "--help") || !strings.Contains(stderr, "无法写出模板") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// runCLI runs ufa in-process (runUFA needs cgo; these tests run in the
// portable validator too).
func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}
