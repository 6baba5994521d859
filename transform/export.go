package transform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// Exported is one table written by Export.
type Exported struct {
	Table       string
	Rows        int64
	Path        string // a folder (partitioned) or a .parquet file
	Partitioned bool
}

// Export writes every table of the warehouse as Parquet under dir: a table
// whose rows all carry a month and a city code (the sheet tables) into
// dir/<table>/month=YYYY-MM/city=<code>/*.parquet, the others (the
// submissions and findings, whose month may be unknown for a rejected
// file, and the bookkeeping tables) into dir/<table>.parquet. Earlier
// exports of the same tables are replaced; an empty table is one empty
// file dir/<table>.parquet. Other engines read it with
// hive partitioning, e.g. DuckDB's read_parquet('dir/organizations/**/*.parquet',
// hive_partitioning = true).
func (w *Warehouse) Export(ctx context.Context, dir string) ([]Exported, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建输出目录 %s: %w", dir, err)
	}
	rows, err := w.db.QueryContext(ctx, q("export_tables"))
	if err != nil {
		return nil, fmt.Errorf("列出数据表: %w", err)
	}
	var out []Exported
	for rows.Next() {
		var e Exported
		if err := rows.Scan(&e.Table, &e.Partitioned); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	for i := range out {
		e := &out[i]
		if e.Rows, err = w.Count(ctx, e.Table); err != nil {
			return nil, err
		}
		// COPY ... PARTITION_BY writes no file for an empty table, which
		// other engines cannot read; an empty table is one empty file.
		if e.Partitioned && e.Rows > 0 {
			e.Path = filepath.Join(dir, e.Table)
			_, err = w.db.ExecContext(ctx, q("export_partitioned"), e.Path, e.Table)
		} else {
			e.Partitioned = false
			e.Path = filepath.Join(dir, e.Table+".parquet")
			_, err = w.db.ExecContext(ctx, q("export_plain"), e.Path, e.Table)
		}
		if err != nil {
			return nil, fmt.Errorf("导出 %s 到 %s: %w", e.Table, e.Path, err)
		}
	}
	return out, nil
}
