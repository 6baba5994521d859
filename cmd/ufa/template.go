package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"ufa/ingest"
	"ufa/internal/atomicfile"
	"ufa/internal/spec"
)

const templateUsage = "template [--city 市] [--month YYYY-MM] -o 文件.xlsx"

// runTemplate writes the blank monthly workbook. The workbook is built in
// memory first, so a bad --city or --month never leaves a file behind, and
// it reaches FILE through a temporary file in the same folder and a rename,
// so an interrupted run never leaves half a workbook under FILE's name.
func runTemplate(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "template", templateUsage)
	city := fs.String("city", "", "填报单位（市名、简称或6位区划代码），预填到封面，并把“所在县(市、区)”的下拉列表限定为该市")
	month := fs.String("month", "", "报送月份 YYYY-MM，预填到封面")
	out := fs.String("o", "", "写出的模板文件（.xlsx），必填")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("多余的参数 %q；模板文件请用 -o 指定", fs.Arg(0))
	}
	if *out == "" {
		return usagef("缺少 -o 文件.xlsx：请指定模板写到哪里")
	}
	if err := checkOutput(output{flag: "-o", path: *out, ext: ".xlsx"}, guarded{db: spec.DefaultDB, keyFile: ""}); err != nil {
		return err
	}
	var buf bytes.Buffer
	err := ingest.WriteTemplate(a.book, &buf, ingest.TemplateOptions{City: *city, Month: *month})
	if errors.Is(err, ingest.ErrTemplateOption) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := writeTemplateFile(*out, buf.Bytes()); err != nil {
		if isDiskFull(err) {
			return diskError(*out, err)
		}
		return fmt.Errorf("无法写出模板 %s：%w；请检查目录是否存在、是否有写权限，文件是否正在 Excel/WPS 中打开", *out, err)
	}
	fmt.Fprintf(a.stdout, "已写出报送模板：%s\n", *out)
	return nil
}

// writeTemplateFile replaces path with data via a temporary file beside
// it; the error is the system's, for the caller's message.
func writeTemplateFile(path string, data []byte) error {
	err := atomicfile.WriteFile(path, data)
	if ae := (*atomicfile.Error)(nil); errors.As(err, &ae) {
		return ae.Err
	}
	return err
}
