package transform

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"

	"ufa/internal/spec"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

//go:embed migrations/*.sql
var migrationFiles embed.FS

// q returns the statement in sql/<name>.sql. A missing file is a
// programming error caught by every test that runs the statement.
func q(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("transform: no sql/%s.sql", name))
	}
	return string(b)
}

// ErrLocked: another process has the warehouse open.
var ErrLocked = errors.New("数据库正被另一个 ufa 进程使用，请等它结束后再试")

// ErrNewer: the warehouse was written by a newer ufa.
var ErrNewer = errors.New("数据库由更新版本的 ufa 写成，请升级 ufa 后再试")

// Options of Open.
type Options struct {
	// ReadOnly opens without writing (several readers may share the file;
	// migrations are not applied, an out-of-date warehouse is an error).
	ReadOnly bool
	// Mem allocates the Arrow batches (tests pass a checked allocator).
	Mem memory.Allocator
	// Book is the contract (spec.Load() when nil).
	Book *spec.Book
}

// Warehouse is an open DuckDB warehouse.
type Warehouse struct {
	db   *sql.DB
	path string
	book *spec.Book
	mem  memory.Allocator
	key  []byte

	// afterSheet, when set (tests), runs after each sheet's copy inside the
	// load transaction; an error aborts the load.
	afterSheet func(sheet string) error
}

// Open opens (creating if needed) the warehouse at path and migrates it to
// the current schema. A file another process holds gives ErrLocked; a file
// that is not a DuckDB database an error saying so.
func Open(ctx context.Context, path string, opt Options) (*Warehouse, error) {
	dsn := path
	if opt.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("找不到数据库 %s：请先用 ufa ingest 导入工作簿，或用 --db 指定数据库文件", path)
		}
		dsn += "?access_mode=READ_ONLY"
	}
	// NewConnector opens the database now, so a lock or a broken file is
	// reported here rather than at the first query.
	c, err := duckdb.NewConnector(dsn, nil)
	if err != nil {
		return nil, openError(path, err)
	}
	w := &Warehouse{db: sql.OpenDB(c), path: path, book: opt.Book, mem: opt.Mem}
	if w.book == nil {
		w.book = spec.Load()
	}
	if w.mem == nil {
		w.mem = memory.DefaultAllocator
	}
	if err := w.migrate(ctx, opt.ReadOnly); err != nil {
		w.db.Close()
		return nil, err
	}
	return w, nil
}

func openError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock"):
		// ufa serve leaves a note beside the file while it runs.
		if who, err := os.ReadFile(path + ".serving"); err == nil && len(who) > 0 {
			return fmt.Errorf("%w（%s：%s 正在运行；门户运行时请在门户中操作，或先停止门户）", ErrLocked, path, strings.TrimSpace(string(who)))
		}
		return fmt.Errorf("%w（%s）", ErrLocked, path)
	case strings.Contains(msg, "not a valid DuckDB database"):
		return fmt.Errorf("无法打开数据库 %s：这不是 ufa 数据库文件（可能已损坏或是别的文件），请用 --db 指定正确的文件: %w", path, err)
	default:
		return fmt.Errorf("无法打开数据库 %s: %w", path, err)
	}
}

// DB is the warehouse's database, for the stages that read it.
func (w *Warehouse) DB() *sql.DB { return w.db }

// Path is the warehouse file.
func (w *Warehouse) Path() string { return w.path }

// Close closes the warehouse; DuckDB checkpoints its write-ahead log.
func (w *Warehouse) Close() error { return w.db.Close() }

// migration is one numbered file of migrations/.
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration file %s is not named NNN_name.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(e.Name(), ".sql"), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	// Versions increase; gaps are allowed, so that branches can number
	// their migrations apart (009_portal) and merge in any order.
	for i, m := range out {
		if m.version < 1 || (i > 0 && m.version == out[i-1].version) {
			return nil, fmt.Errorf("migrations are not numbered 1, 2, 3...: %s", m.name)
		}
	}
	return out, nil
}

// SchemaVersion is the number of the newest migration this program has.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies the migrations the warehouse lacks, each in its own
// transaction with its schema_version row.
func (w *Warehouse) migrate(ctx context.Context, readOnly bool) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var have int
	if readOnly {
		if err := w.db.QueryRowContext(ctx, q("schema_version_current")).Scan(&have); err != nil {
			return fmt.Errorf("数据库 %s 不是 ufa 数据库或尚未建立: %w", w.path, err)
		}
		if have < ms[len(ms)-1].version {
			return fmt.Errorf("数据库 %s 由旧版本 ufa 写成，需要先升级：请运行一次 ufa ingest（会自动升级）", w.path)
		}
	} else {
		if _, err := w.db.ExecContext(ctx, q("schema_version_create")); err != nil {
			return fmt.Errorf("数据库 %s: %w", w.path, err)
		}
		if err := w.db.QueryRowContext(ctx, q("schema_version_current")).Scan(&have); err != nil {
			return fmt.Errorf("数据库 %s: %w", w.path, err)
		}
	}
	if last := ms[len(ms)-1].version; have > last {
		return fmt.Errorf("%w（数据库结构版本 %d，本程序只认识到 %d）", ErrNewer, have, last)
	}
	for _, m := range ms {
		if m.version <= have {
			continue
		}
		if err := w.apply(ctx, m); err != nil {
			return fmt.Errorf("数据库 %s 升级到第 %d 版（%s）失败: %w", w.path, m.version, m.name, err)
		}
	}
	return nil
}

func (w *Warehouse) apply(ctx context.Context, m migration) error {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, q("schema_version_record"), m.version, m.name, time.Now().UTC()); err != nil {
		return err
	}
	return tx.Commit()
}

// Count returns the number of rows of a table or view (tests, reports).
func (w *Warehouse) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	err := w.db.QueryRowContext(ctx, q("table_count"), table).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}
