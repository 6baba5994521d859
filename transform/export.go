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

// hiveNull is the folder name Hive, Spark, Trino and DuckDB read as a null
// partition value.
const hiveNull = "__HIVE_DEFAULT_PARTITION__"

// Export writes every table of the warehouse as Parquet under dir: a table
// whose rows all carry a month and a city code (the sheet tables) into
// dir/<table>/month=YYYY-MM/city=<code>/*.parquet, the others (the
// submissions and findings, whose month may be unknown for a rejected
// file, and the bookkeeping tables) into dir/<table>.parquet. Earlier
// exports of the same tables are replaced. An empty sheet table is one
// empty file in month=__HIVE_DEFAULT_PARTITION__/city=__HIVE_DEFAULT_PARTITION__/
// (Hive's name for a null value), so the layout does not depend on the
// rows. Every file of a table has the table's column types, whatever its
// values (docs/scale.md lists them). Other engines read it with
// hive partitioning, e.g. DuckDB's read_parquet('dir/organizations/**/*.parquet',
// hive_partitioning = true, hive_types = {'month': VARCHAR, 'city': VARCHAR}).
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
		switch {
		case e.Partitioned && e.Rows > 0:
			e.Path = filepath.Join(dir, e.Table)
			_, err = w.db.ExecContext(ctx, q("export_partitioned"), e.Path, e.Table)
		case e.Partitioned:
			// COPY ... PARTITION_BY writes no file for an empty table. A
			// sheet table stays a folder of the same depth whatever its
			// rows (a dataset gathered from many exports must not mix a
			// file and month=/city= folders): one empty file, typed like
			// the others, in Hive's null partition.
			e.Path = filepath.Join(dir, e.Table)
			file := filepath.Join(e.Path, "month="+hiveNull, "city="+hiveNull, "data_0.parquet")
			if err = os.MkdirAll(filepath.Dir(file), 0o755); err == nil {
				_, err = w.db.ExecContext(ctx, q("export_partitioned_empty"), file, e.Table)
			}
		default:
			e.Path = filepath.Join(dir, e.Table+".parquet")
			_, err = w.db.ExecContext(ctx, q("export_plain"), e.Path, e.Table)
		}
		if err != nil {
			return nil, fmt.Errorf("导出 %s 到 %s: %w", e.Table, e.Path, err)
		}
	}
	return out, nil
}
