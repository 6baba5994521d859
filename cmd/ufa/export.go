//go:build cgo

package main

import (
	"context"
	"fmt"
)

const exportUsage = "export [--db 数据库] --out 文件夹"

// runExport writes every table of the warehouse as Parquet for other
// engines: sheet tables partitioned into month=YYYY-MM/city=<6-digit
// code>/ folders, the others one file each. It only reads the warehouse.
func runExport(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "export", exportUsage,
		"把数据库中的每张表导出为 Parquet 文件，供其他数据工具读取：",
		"各工作表按 month=YYYY-MM/city=市代码/ 分区存放，其余表各为一个 .parquet 文件。",
	)
	db := addWarehouseFlags(fs, whRead).db
	out := fs.String("out", "", "输出文件夹（必填；其中同名的表会被覆盖）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("多余的参数 %q（输出文件夹用 --out 给出）", fs.Arg(0))
	}
	if *out == "" {
		return usagef("缺少 --out 输出文件夹，例如 ufa export --out 导出")
	}
	if err := checkOutput(output{flag: "--out", path: *out, dir: true}, guarded{db: *db}); err != nil {
		return err
	}
	w, err := openWarehouse(ctx, a, *db, true)
	if err != nil {
		return err
	}
	defer w.Close()
	tables, err := w.Export(ctx, *out)
	if err != nil {
		if isDiskFull(err) {
			return diskError(*out, err)
		}
		return err
	}
	for _, t := range tables {
		how := "单个文件"
		if t.Partitioned {
			how = "按 month=/city= 分区"
		}
		fmt.Fprintf(a.stdout, "%-16s %8d 行  %s（%s）\n", t.Table, t.Rows, t.Path, how)
	}
	fmt.Fprintf(a.stdout, "已导出 %d 张表到 %s（Parquet）\n", len(tables), *out)
	return nil
}
