package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Seal is how free SQL is closed in (issue 11): the database it runs on
// may read its own tables and nothing else, unless the analyst named
// files or folders on purpose (Allow); the province key is never among
// them.
type Seal struct {
	// Allow are files and folders free SQL may read (ufa query
	// --allow-files); none by default.
	Allow []string
	// Secret are files that must stay unreadable whatever Allow says:
	// the key file(s) of the warehouse.
	Secret []string
}

// maxAllowWalk bounds the look for links to a secret inside an allowed
// folder: a folder larger than this is refused rather than half-checked.
const maxAllowWalk = 100000

// CheckAllowed refuses an allowed path that is, holds, or (through a
// link or a second name) leads to a secret file, and returns the paths
// as DuckDB is to be told them: absolute, as given and with links
// resolved, folders ending in a separator.
func (s Seal) CheckAllowed() (files, dirs []string, err error) {
	var secrets []os.FileInfo
	var secretReal []string
	for _, p := range s.Secret {
		if st, err := os.Stat(p); err == nil {
			secrets = append(secrets, st)
		}
		if r, err := realPath(p); err == nil {
			secretReal = append(secretReal, r)
		}
	}
	isSecret := func(st os.FileInfo) bool {
		for _, k := range secrets {
			if os.SameFile(st, k) {
				return true
			}
		}
		return false
	}
	for _, p := range s.Allow {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, requestf("--allow-files %s：找不到这个文件或文件夹，请检查路径", p)
		}
		real, err := realPath(p)
		if err != nil {
			return nil, nil, requestf("--allow-files %s：无法解析路径：%v", p, err)
		}
		// DuckDB compares names, so both the name as given (made
		// absolute) and the resolved one are allowed: they are one file.
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = real
		}
		if !st.IsDir() {
			if isSecret(st) {
				return nil, nil, requestf("--allow-files %s 是数据库的密钥文件：密钥不能被查询读取", p)
			}
			files = appendNew(files, real, abs)
			continue
		}
		for _, k := range secretReal {
			if k == real || strings.HasPrefix(k, real+string(filepath.Separator)) {
				return nil, nil, requestf("--allow-files %s 中有数据库的密钥文件 %s：请把要读取的文件放到另一个不含密钥的文件夹，再给出那个文件夹", p, k)
			}
		}
		// A link or a hard link to the key inside the folder would pass
		// DuckDB's check of the folder's name: look at every entry.
		n := 0
		werr := filepath.WalkDir(real, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // an unreadable entry is unreadable to DuckDB too
			}
			if n++; n > maxAllowWalk {
				return errTooMany
			}
			if d.IsDir() {
				return nil
			}
			if st, err := os.Stat(q); err == nil && isSecret(st) {
				return requestf("--allow-files %s 中的 %s 指向数据库的密钥文件：请删除这个链接，或给出另一个文件夹", p, q)
			}
			return nil
		})
		if errors.Is(werr, errTooMany) {
			return nil, nil, requestf("--allow-files %s 中的文件超过 %d 个，无法逐一确认其中没有指向密钥的链接：请给出更小的文件夹或具体的文件", p, maxAllowWalk)
		}
		if werr != nil {
			return nil, nil, werr
		}
		dirs = appendNew(dirs, real+string(filepath.Separator), strings.TrimRight(abs, string(filepath.Separator))+string(filepath.Separator))
	}
	return files, dirs, nil
}

var errTooMany = errors.New("too many entries")

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		found := false
		for _, x := range list {
			found = found || x == it
		}
		if !found {
			list = append(list, it)
		}
	}
	return list
}

func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// Apply closes db in: only the given files and folders (plus extra, the
// files ufa itself writes for the query, such as a Parquet output) may be
// touched, nothing is installed or loaded, nothing reaches the network,
// and the configuration is locked so that SQL cannot undo any of it.
// The settings are the database instance's, so every connection of db
// is closed in; ufa query opens its own instance for each run.
func (s Seal) Apply(ctx context.Context, db *sql.DB, extra ...string) error {
	files, dirs, err := s.CheckAllowed()
	if err != nil {
		return err
	}
	files = append(files, extra...)
	stmts := []string{}
	if len(files) > 0 {
		stmts = append(stmts, "SET GLOBAL allowed_paths = "+sqlList(files))
	}
	if len(dirs) > 0 {
		stmts = append(stmts, "SET GLOBAL allowed_directories = "+sqlList(dirs))
	}
	stmts = append(stmts,
		"SET GLOBAL enable_external_access = false",
		"SET GLOBAL autoinstall_known_extensions = false",
		"SET GLOBAL autoload_known_extensions = false",
		"SET GLOBAL lock_configuration = true",
	)
	for _, st := range stmts {
		if _, err := db.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("限制查询的文件访问（%s）: %w", st, err)
		}
	}
	return nil
}

// sqlList is a DuckDB list literal of strings. SET takes no placeholders;
// the quotes are doubled, and the paths come from the command line of the
// person running ufa, not from data.
func sqlList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}
