package transform

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"ufa/internal/atomicfile"
)

// Exported is one table written by Export.
type Exported struct {
	Table       string
	Rows        int64
	Path        string // a folder (partitioned) or a .parquet file
	Partitioned bool
}

// ManifestName is the file in an export folder that lists, one relative
// path a line, the files the last export wrote: the next export replaces
// those and nothing else.
const ManifestName = "ufa-export-manifest.txt"

// ErrExportClash: a file the export would write is already in the folder
// and was not written by an earlier export.
var ErrExportClash = errors.New("导出文件夹中已有同名的文件")

// hiveNull is the folder name Hive, Spark, Trino and DuckDB read as a null
// partition value.
const hiveNull = "__HIVE_DEFAULT_PARTITION__"

// Export writes every table of the warehouse as Parquet under dir: a table
// whose rows all carry a month and a city code (the sheet tables) into
// dir/<table>/month=YYYY-MM/city=<code>/*.parquet, the others (the
// submissions and findings, whose month may be unknown for a rejected
// file, and the bookkeeping tables) into dir/<table>.parquet. An empty
// sheet table is one empty file in
// month=__HIVE_DEFAULT_PARTITION__/city=__HIVE_DEFAULT_PARTITION__/ (Hive's
// name for a null value), so the layout does not depend on the rows. Every
// file of a table has the table's column types, whatever its values
// (docs/scale.md lists them). Other engines read it with hive partitioning,
// e.g. DuckDB's read_parquet('dir/organizations/**/*.parquet',
// hive_partitioning = true, hive_types = {'month': VARCHAR, 'city': VARCHAR}).
//
// The files of an earlier export (listed in dir/ManifestName) are
// replaced; any other file in dir, even inside a table's folder, is left
// alone, and one that the export would have to overwrite stops it with
// ErrExportClash before anything in dir is changed. The tables are first
// written into a hidden folder inside dir, then moved into place.
func (w *Warehouse) Export(ctx context.Context, dir string) ([]Exported, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建输出目录 %s: %w", dir, err)
	}
	old, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	stage, err := os.MkdirTemp(dir, ".ufa-export-*")
	if err != nil {
		return nil, fmt.Errorf("无法在 %s 写文件: %w", dir, err)
	}
	defer os.RemoveAll(stage)
	out, err := w.exportTo(ctx, stage)
	if err != nil {
		return nil, err
	}
	var files []string
	err = filepath.WalkDir(stage, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(stage, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	for _, f := range files {
		target := filepath.Join(dir, filepath.FromSlash(f))
		if _, err := os.Lstat(target); err == nil && !old[f] {
			return nil, fmt.Errorf("%w：%s 不是 ufa export 写出的（不在 %s 中），导出不会覆盖它；请把它移走，或导出到另一个文件夹", ErrExportClash, target, ManifestName)
		}
	}
	// From here on dir changes: the old export's files go, the new ones
	// come, then the manifest says which they are.
	for f := range old {
		target := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.Remove(target); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("删除上次导出的 %s: %w", target, err)
		}
		removeEmptyParents(dir, filepath.Dir(target))
	}
	for _, f := range files {
		target := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return nil, err
		}
		if err := os.Rename(filepath.Join(stage, filepath.FromSlash(f)), target); err != nil {
			return nil, fmt.Errorf("写出 %s: %w", target, err)
		}
	}
	if err := writeManifest(dir, files); err != nil {
		return nil, err
	}
	for i := range out {
		rel, _ := filepath.Rel(stage, out[i].Path)
		out[i].Path = filepath.Join(dir, rel)
	}
	return out, nil
}

// readManifest reads the files of the last export in dir (none when it
// has no manifest). A listed path that leaves dir is ignored.
func readManifest(dir string) (map[string]bool, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("读取 %s: %w", filepath.Join(dir, ManifestName), err)
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		clean := path.Clean(line)
		if !fs.ValidPath(clean) || clean == "." || clean == ManifestName {
			continue
		}
		out[clean] = true
	}
	return out, nil
}

func writeManifest(dir string, files []string) error {
	var b strings.Builder
	b.WriteString("# ufa export 写出的文件（下次导出时只替换这些文件）\n")
	for _, f := range files {
		b.WriteString(f + "\n")
	}
	err := atomicfile.WriteFile(filepath.Join(dir, ManifestName), []byte(b.String()))
	if ae := (*atomicfile.Error)(nil); errors.As(err, &ae) && ae.Op != atomicfile.OpRename {
		return fmt.Errorf("写出 %s: %w", ManifestName, ae.Err)
	}
	return err
}

// removeEmptyParents removes d and its parents up to (not including) root
// while they are empty.
func removeEmptyParents(root, d string) {
	root = filepath.Clean(root)
	for d = filepath.Clean(d); d != root && strings.HasPrefix(d, root+string(filepath.Separator)); d = filepath.Dir(d) {
		if os.Remove(d) != nil {
			return
		}
	}
}

// exportTo writes every table under dir (see Export).
func (w *Warehouse) exportTo(ctx context.Context, dir string) ([]Exported, error) {
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
