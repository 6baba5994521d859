//go:build cgo

package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"ufa/transform"
)

// openWarehouse opens the warehouse for a command of this file's owner
// (query, export, report, dashboards, metrics), wording DuckDB's raw
// refusals of a damaged file or a full disk in Chinese with what to do.
func openWarehouse(ctx context.Context, a *app, db string, readOnly bool) (*transform.Warehouse, error) {
	w, err := transform.Open(ctx, db, transform.Options{Book: a.book, ReadOnly: readOnly})
	if err != nil {
		return nil, warehouseError(db, err)
	}
	return w, nil
}

// warehouseError words an error of opening or reading the warehouse.
func warehouseError(db string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, transform.ErrLocked) || errors.Is(err, transform.ErrNewer) {
		return err
	}
	if isDiskFull(err) {
		return diskError(db, err)
	}
	if isDamaged(err) {
		st, serr := os.Stat(db)
		size := ""
		if serr == nil {
			size = fmt.Sprintf("（%d 字节）", st.Size())
		}
		return fmt.Errorf("数据库 %s%s 已损坏或不是 ufa 的数据库文件，无法打开。请用 --db 指定正确的数据库，"+
			"或从备份恢复（复制备份的数据库及其 .key 密钥文件）；没有备份时，把这个文件移到别处，"+
			"再用 ufa ingest 重新导入各月的工作簿。原文件未被改动。（%w）", db, size, err)
	}
	return err
}
