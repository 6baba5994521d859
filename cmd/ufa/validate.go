package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ufa/ingest"
	"ufa/internal/clerk"
)

const validateUsage = "validate [--city 市] [--month YYYY-MM] [--json] [--annotate 输出.xlsx] 文件..."

// runValidate checks workbooks against submission.md without any
// database: it is the whole of the portable validator handed to cities.
//
// Choices where cli.md is silent:
//   - FILE may also be a folder (every file in it, recursively, as for
//     ufa ingest: a file that is not an .xlsx is one E_FILE saying what to
//     do; lock and side files and special files are skipped with a note,
//     see collectWorkbooks) or, for Windows where the shell does not
//     expand wildcards, a pattern such as *.xlsx. A path that does not
//     exist is a bad argument (exit 2), checked before any file is read.
//   - --annotate with one file names the copy; if it names an existing
//     folder, the copy is written there as <name>_校验.xlsx. With several
//     files it must be a folder (created when missing) and each copy is
//     <name>_校验.xlsx in it. The folder of a single copy must exist.
//   - A workbook that cannot be opened (E_FILE) gets no copy: a note says
//     so, and the exit code stays that of its error (1). A copy that
//     cannot be written is exit 2, after every file has been reported.
//   - With --json, stdout carries only the JSON lines; notes about copies
//     go to stderr.
func runValidate(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "validate", validateUsage,
		"按报送规范校验各市的月度工作簿，不需要数据库，可离线运行。",
		"每个文件列出全部问题（按工作表分组，注明单元格），最后一行给出能否上报。",
		"文件可以是 .xlsx 文件、文件夹（校验其中全部文件，不是 .xlsx 的文件说明怎么办，锁定文件、隐藏文件等跳过并注明）或通配符（如 *.xlsx）。",
		"--annotate：一个文件时为标注副本的文件名（或已存在的文件夹）；多个文件时为文件夹，",
		"  每个文件写出“<原文件名>_校验.xlsx”。原文件不会被改动。",
		"退出码：0 没有错误（可以有警告）；1 有工作簿存在错误；2 参数错误或标注副本无法写出。",
	)
	city := fs.String("city", "", "应为哪个市的报送（市名、简称或6位区划代码）；与封面不符是 E_COVER")
	month := fs.String("month", "", "应为哪个月的报送，YYYY-MM；与封面不符是 E_COVER")
	asJSON := fs.Bool("json", false, "每个文件输出一行 JSON（供程序读取），代替中文报告")
	annotate := fs.String("annotate", "", "写出标注副本：有问题的单元格标红（错误）或标黄（警告）并加批注，首页“校验结果”列出全部问题；多个文件时为文件夹")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("缺少要校验的工作簿，例如 ufa validate 沈阳市_2026-10.xlsx")
	}
	opt := ingest.Options{City: *city, Month: *month}
	if _, _, err := opt.Resolve(a.book); err != nil {
		return usagef("%v", err)
	}
	// Notes about copies and skipped files: part of the report for
	// people, kept off stdout for programs reading JSON.
	notes := a.stdout
	if *asJSON {
		notes = a.stderr
	}
	files, err := collectWorkbooks(fs.Args(), notes)
	if errors.Is(err, errNoFiles) {
		return usagef("%s 中没有可校验的工作簿：请检查路径", strings.Join(fs.Args(), "、"))
	}
	if err != nil {
		return err
	}
	var outs []string
	if *annotate != "" {
		if outs, err = annotatePaths(*annotate, files); err != nil {
			return err
		}
		if err := checkOutputs("--annotate", outs, ".xlsx", files); err != nil {
			return err
		}
	}

	var results []*ingest.Result
	unwritten := 0
	for i, path := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		copyTo := ""
		if outs != nil {
			copyTo = outs[i]
		}
		// clerk.Check is also what the offline page runs (WebAssembly):
		// the JSON line and the copy are made by the same code.
		c, err := clerk.Check(ctx, a.book, path, opt, copyTo)
		if err != nil {
			return fmt.Errorf("写出校验结果: %w", err)
		}
		results = append(results, c.Result)
		if *asJSON {
			_, err = a.stdout.Write(c.JSON)
		} else {
			if i > 0 {
				fmt.Fprintln(a.stdout)
			}
			err = ingest.WriteReport(a.stdout, a.book, c.Result)
		}
		if err != nil {
			return fmt.Errorf("写出校验结果: %w", err)
		}
		switch c.Copy {
		case clerk.NotAnnotatable:
			fmt.Fprintf(notes, "未生成标注副本：%s 无法打开，没有可标注的内容\n", path)
		case clerk.CopyFailed:
			unwritten++
			fmt.Fprintf(a.stderr, "ufa: 标注副本 %s 未能写出：%v\n", copyTo, c.CopyErr)
		case clerk.CopyWritten:
			fmt.Fprintf(notes, "已写出标注副本：%s\n", copyTo)
		}
	}
	if !*asJSON && len(results) > 1 {
		fmt.Fprintln(a.stdout)
		if err := ingest.WriteTotal(a.stdout, results); err != nil {
			return fmt.Errorf("写出校验结果: %w", err)
		}
	}
	if unwritten > 0 {
		return fmt.Errorf("%d 个标注副本未能写出；请检查输出位置是否存在、可写，文件是否正在 Excel/WPS 中打开", unwritten)
	}
	for _, r := range results {
		if r.Errors() > 0 {
			return errFindings
		}
	}
	return nil
}

// annotatePaths decides where each annotated copy goes (see runValidate)
// and refuses, before any work, an output that cannot be written.
func annotatePaths(target string, files []string) ([]string, error) {
	st, err := os.Stat(target)
	isDir := err == nil && st.IsDir()
	if len(files) == 1 && !isDir {
		if err == nil && !st.Mode().IsRegular() {
			return nil, usagef("--annotate %s 不是普通文件", target)
		}
		if !strings.EqualFold(filepath.Ext(target), ".xlsx") {
			return nil, usagef("--annotate %s：标注副本的文件名应以 .xlsx 结尾", target)
		}
		if d, err := os.Stat(filepath.Dir(target)); err != nil || !d.IsDir() {
			return nil, usagef("--annotate %s：文件夹 %s 不存在", target, filepath.Dir(target))
		}
		if sameFile(target, files[0]) {
			return nil, usagef("--annotate 不能是被校验的原文件 %s：请另起一个文件名", files[0])
		}
		return []string{target}, nil
	}
	if !isDir {
		if err == nil {
			return nil, usagef("校验多个文件时 --annotate 应为文件夹，而 %s 是文件", target)
		}
		if strings.EqualFold(filepath.Ext(target), ".xlsx") {
			return nil, usagef("校验多个文件时 --annotate 应为文件夹（每个文件写出“<原文件名>_校验.xlsx”），而不是 %s", target)
		}
		if err := os.MkdirAll(target, 0o755); err != nil {
			return nil, usagef("无法创建标注副本的文件夹 %s：%v", target, err)
		}
	}
	outs := make([]string, len(files))
	used := map[string]bool{}
	for i, f := range files {
		stem := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		name := stem + "_校验.xlsx"
		for n := 2; used[strings.ToLower(name)]; n++ { // two inputs of one name from different folders
			name = fmt.Sprintf("%s_校验_%d.xlsx", stem, n)
		}
		used[strings.ToLower(name)] = true
		outs[i] = filepath.Join(target, name)
	}
	return outs, nil
}

// sameFile tells whether two paths name one existing file.
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
