//go:build cgo

package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"ufa/transform"
)

// openWarehouse opens the warehouse for the commands that only read it
// or compute on it (query, export, report, dashboards, metrics).
// transform.Open words a damaged file or a full disk in Chinese with
// what to do (ErrDamaged); warehouseError adds the file's size.
func openWarehouse(ctx context.Context, a *app, db string, readOnly bool) (*transform.Warehouse, error) {
	w, err := transform.Open(ctx, db, transform.Options{Book: a.book, ReadOnly: readOnly, Engine: a.engine()})
	if err != nil {
		return nil, warehouseError(db, err)
	}
	return w, nil
}

// warehouseError adds the size of a damaged warehouse file (a truncated
// copy is told by it) to the message.
func warehouseError(db string, err error) error {
	if !errors.Is(err, transform.ErrDamaged) {
		return err
	}
	if st, serr := os.Stat(db); serr == nil {
		return fmt.Errorf("%w（文件大小 %d 字节）", err, st.Size())
	}
	return err
}

// engine is the warehouse engine's bounds given by --memory-limit and
// --threads.
func (a *app) engine() transform.Engine {
	return transform.Engine{MemoryLimit: a.memoryLimit, Threads: a.threads}
}
