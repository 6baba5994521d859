package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"ufa/ingest"
	"ufa/internal/clerk"
	"ufa/internal/spec"
)

// The executable started without a terminal (docs/validator-page.md): Windows starts it
// with the dropped workbooks' paths as the only arguments, or with none
// when it is double-clicked, in a console window that closes as soon as
// it exits. So: a call made only of existing paths validates them, writes
// each annotated copy beside its workbook and prints the report; no
// argument explains what to do. Either then waits for Enter when a person
// can press it (see mayPause).

// clerkMode handles a start without a command. ok is false when args hold
// a command (or a flag): the ordinary command line takes over, unchanged.
func clerkMode(ctx context.Context, args []string, stdin io.Reader, pause bool, stdout io.Writer) (code int, ok bool) {
	if len(args) == 0 {
		fmt.Fprint(stdout, noArgsHelp)
		printUsage(stdout)
		waitEnter(stdin, pause, stdout)
		return exitFailed, true
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return 0, false
		}
	}
	for _, arg := range args {
		if strings.HasPrefix(arg, "-") {
			return 0, false
		}
		if _, err := os.Stat(arg); err != nil {
			return 0, false // not a path: the command line says "unknown command"
		}
	}
	code = validateDropped(ctx, args, stdout)
	waitEnter(stdin, pause, stdout)
	return code, true
}

// noArgsHelp is shown on a double-click: the clerk has no terminal and
// never will; the two ways that need none come first.
const noArgsHelp = `这是报送工作簿校验工具，不需要安装，也不需要联网。

校验本月的报送工作簿，任选一种方法：
  1. 把工作簿（.xlsx）拖到本程序的图标上松开：校验结果显示在窗口里，
     并在工作簿旁边写出“<原文件名>_校验.xlsx”，有问题的单元格标红（错误）或标黄（警告）。
  2. 用浏览器打开与本程序一起发放的 ufa-validator.html，把工作簿拖进网页。

在命令行中使用时的命令如下。
`

// validateDropped is `ufa validate --annotate` for workbooks dropped on the
// executable: each copy is written beside its workbook. A dropped folder
// stands for its .xlsx files, not counting the copies made before.
func validateDropped(ctx context.Context, paths []string, stdout io.Writer) int {
	book := spec.Load()
	files, err := collectWorkbooks(paths, stdout)
	if err == nil {
		files = withoutCopies(files)
		if len(files) == 0 {
			err = errNoFiles
		}
	}
	if err != nil {
		fmt.Fprintf(stdout, "没有可校验的工作簿（%v）：请把 .xlsx 工作簿拖到图标上；旧版 .xls 文件请先在 Excel 或 WPS 中另存为 .xlsx。\n", err)
		return exitFailed
	}
	code := exitOK
	var results []*ingest.Result
	for i, path := range files {
		if ctx.Err() != nil {
			return exitFailed
		}
		out := filepath.Join(filepath.Dir(path), clerk.CopyName(path))
		c, err := clerk.Check(ctx, book, path, ingest.Options{}, out)
		if err != nil {
			fmt.Fprintf(stdout, "校验 %s 失败：%v\n", path, err)
			code = exitFailed
			continue
		}
		results = append(results, c.Result)
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if err := ingest.WriteReport(stdout, book, c.Result); err != nil {
			return exitFailed
		}
		switch c.Copy {
		case clerk.CopyWritten:
			fmt.Fprintf(stdout, "已在原文件旁写出标注副本：%s（有问题的单元格已标红或标黄并加批注）\n", out)
		case clerk.NotAnnotatable:
			fmt.Fprintf(stdout, "未生成标注副本：该文件无法打开，没有可标注的内容\n")
		case clerk.CopyFailed:
			fmt.Fprintf(stdout, "标注副本 %s 未能写出：%v\n请检查该文件夹是否可写、副本是否正在 Excel/WPS 中打开。\n", out, c.CopyErr)
			code = exitFailed
		}
		if c.Errors() > 0 && code == exitOK {
			code = exitFindings
		}
	}
	if len(results) > 1 {
		fmt.Fprintln(stdout)
		ingest.WriteTotal(stdout, results)
	}
	return code
}

// withoutCopies drops the annotated copies a previous drop wrote.
func withoutCopies(files []string) []string {
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(filepath.Base(f), clerk.CopySuffix) {
			out = append(out, f)
		}
	}
	return out
}

// waitEnter keeps the window open until Enter. It returns at once when no
// one can press a key (pause false) and at the end of input (stdin
// closed), so it never hangs a script or CI.
func waitEnter(stdin io.Reader, pause bool, stdout io.Writer) {
	if !pause || stdin == nil {
		return
	}
	fmt.Fprint(stdout, "\n按回车键关闭窗口……")
	bufio.NewReader(stdin).ReadString('\n')
}

// mayPause tells whether to wait for Enter: only when standard input is a
// console a person types into, and (on Windows) the console was opened for
// this program alone, as Explorer does for a double-click or a drop; from
// cmd.exe or PowerShell nothing waits.
func mayPause(stdin *os.File) bool {
	st, err := stdin.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(st, null) {
		return false // a character device, but no one types into it
	}
	return ownConsole()
}
