//go:build cgo

package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"ufa/metrics"
	"ufa/report"
)

const reportUsage = "report [--db 数据库] --month YYYY-MM -o 报告.xlsx"

// runReport writes the month's assessment as a formatted Excel workbook
// from the warehouse, opened read-only unless the month's indicators are
// missing or stale and are computed first (openCurrent).
func runReport(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "report", reportUsage)
	db := addWarehouseFlags(fs, whRead).db
	month := fs.String("month", "", "报送月份 YYYY-MM（必填）")
	out := fs.String("o", "", "写入的 Excel 文件（必填），如 考核情况_2026-10.xlsx")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("多余的参数 %q", fs.Arg(0))
	}
	if *month == "" {
		return usagef("缺少 --month YYYY-MM：请指定报告的报送月份")
	}
	if _, err := metrics.ParseMonth(*month); err != nil {
		return usagef("%v", err)
	}
	if *out == "" {
		return usagef("缺少 -o 文件：请指定要写出的 Excel 文件，例如 -o 考核情况_%s.xlsx", *month)
	}
	if !strings.EqualFold(filepath.Ext(*out), ".xlsx") {
		return usagef("报告是 Excel 工作簿，-o 的文件名应以 .xlsx 结尾，而不是 %q", *out)
	}
	if err := checkOutput(output{flag: "-o", path: *out, ext: ".xlsx"}, guarded{db: *db}); err != nil {
		return err
	}
	w, err := openCurrent(ctx, a, *db, *month)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := report.WriteFile(ctx, w.DB(), *month, *out); err != nil {
		if errors.Is(err, metrics.ErrNotComputed) {
			return err
		}
		return diskError(*out, err)
	}
	fmt.Fprintf(a.stdout, "已写出 %s 的考核报告：%s\n", *month, *out)
	return nil
}
