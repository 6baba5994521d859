package transform

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"

	"ufa/internal/spec"
	"ufa/internal/sqlfile"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

//go:embed migrations/*.sql
var migrationFiles embed.FS

// q returns the statement in sql/<name>.sql. A missing file is a
// programming error caught by every test that runs the statement.
func q(name string) string { return sqlfile.Text(sqlFiles, "sql/"+name+".sql") }

// ErrLocked: another process has the warehouse open.
var ErrLocked = errors.New("数据库正被另一个 ufa 进程使用，请等它结束后再试")

// ErrDamaged: the file is not a DuckDB database, or a damaged one
// (truncated, overwritten).
var ErrDamaged = errors.New("文件已损坏或不是 ufa 的数据库")

// ErrNewer: the warehouse was written by a newer ufa.
var ErrNewer = errors.New("数据库由更新版本的 ufa 写成，请升级 ufa 后再试")

// Options of Open.
type Options struct {
	// ReadOnly opens without writing (several readers may share the
	// file). A warehouse written by an earlier ufa is first migrated
	// forward, in a short read-write open; when that cannot be done (the
	// file is read-only, or another process holds it) Open says exactly
	// that (ErrCannotMigrate).
	ReadOnly bool
	// Mem allocates the Arrow batches (tests pass a checked allocator).
	Mem memory.Allocator
	// Book is the contract (spec.Load() when nil).
	Book *spec.Book
	// Engine bounds what DuckDB may use of the machine.
	Engine Engine
}

// DefaultMemoryLimit is DuckDB's memory_limit when Engine.MemoryLimit is
// empty. It bounds the warehouse's buffers (the tables being loaded, the
// hash tables of joins and aggregates, temporary tables); what does not
// fit is spilled to a temporary folder beside the warehouse
// (<warehouse>.tmp) instead of growing with the data. 512 MB holds a
// province month's work several times over (a month of the 14 cities at
// 30 times Liaoning's size computes in about 300 MB) and keeps a whole
// ufa process, the Go reader's memory included, under 1 GiB.
const DefaultMemoryLimit = "512MB"

// Engine is how much of the machine DuckDB may use. The zero value is the
// defaults: DefaultMemoryLimit and one thread per core Go may use
// (GOMAXPROCS, which follows the container's CPU quota).
type Engine struct {
	// MemoryLimit is DuckDB's memory_limit: a size such as "512MB",
	// "2GB" or "1.5GiB".
	MemoryLimit string
	// Threads is DuckDB's threads (0: GOMAXPROCS).
	Threads int
}

var memoryLimitRe = regexp.MustCompile(`^(?i)[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)

// config returns the DuckDB settings of e, checked.
func (e Engine) config() (url.Values, error) {
	v := url.Values{}
	ml := strings.TrimSpace(e.MemoryLimit)
	if ml == "" {
		ml = DefaultMemoryLimit
	}
	if !memoryLimitRe.MatchString(ml) {
		return nil, fmt.Errorf("内存上限 %q 无效：应为带单位的大小，如 512MB、2GB", e.MemoryLimit)
	}
	v.Set("memory_limit", ml)
	th := e.Threads
	if th < 0 {
		return nil, fmt.Errorf("线程数 %d 无效：应为正整数（0 表示按处理器核数）", th)
	}
	if th == 0 {
		th = runtime.GOMAXPROCS(0)
	}
	v.Set("threads", strconv.Itoa(th))
	return v, nil
}

// ErrCannotMigrate: the warehouse was written by an earlier ufa and must
// be migrated forward before it can be read, which could not be done.
var ErrCannotMigrate = errors.New("数据库由旧版本 ufa 写成，需要先升级才能读取，但无法升级")

// errOutdated: a read-only open found migrations to apply.
var errOutdated = errors.New("outdated schema")

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
// the current schema, also when opened read-only. A file another process
// holds gives ErrLocked; a file that is not a DuckDB database an error
// saying so.
func Open(ctx context.Context, path string, opt Options) (*Warehouse, error) {
	w, err := open(ctx, path, opt)
	if !errors.Is(err, errOutdated) {
		return w, err
	}
	rw := opt
	rw.ReadOnly = false
	// A file without any write permission is read-only by intent, even
	// for a user (root) the system would let write it.
	if st, serr := os.Stat(path); serr == nil && st.Mode().Perm()&0o222 == 0 {
		return nil, fmt.Errorf("%w：数据库文件 %s 是只读的。请给文件写权限（或由有写权限的用户用本版本的 ufa 打开一次）后再试", ErrCannotMigrate, path)
	}
	if f, ferr := os.OpenFile(path, os.O_RDWR, 0); ferr != nil {
		return nil, fmt.Errorf("%w：数据库文件 %s 不可写（%v）。请给文件写权限（或由有写权限的用户用本版本的 ufa 打开一次）后再试", ErrCannotMigrate, path, ferr)
	} else {
		f.Close()
	}
	m, err := open(ctx, path, rw)
	switch {
	case errors.Is(err, ErrLocked):
		return nil, fmt.Errorf("%w：数据库 %s 正被另一个 ufa 进程使用，请等它结束后再试", ErrCannotMigrate, path)
	case err != nil:
		return nil, fmt.Errorf("%w：%w", ErrCannotMigrate, err)
	}
	if err := m.Close(); err != nil {
		return nil, fmt.Errorf("%w：数据库 %s: %w", ErrCannotMigrate, path, err)
	}
	return open(ctx, path, opt)
}

func open(ctx context.Context, path string, opt Options) (*Warehouse, error) {
	cfg, err := opt.Engine.config()
	if err != nil {
		return nil, err
	}
	if opt.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, &NotFoundError{Path: path}
		}
		cfg.Set("access_mode", "READ_ONLY")
	}
	dsn := path + "?" + cfg.Encode()
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

// NotFoundError: a warehouse to be read that does not exist. The command
// line adds how to make one or name another.
type NotFoundError struct{ Path string }

func (e *NotFoundError) Error() string { return fmt.Sprintf("找不到数据库 %s", e.Path) }

// DamagedError: a file that is not a (whole) DuckDB database; it is
// ErrDamaged. The message says what to do without naming commands; the
// command line words it with its flags.
type DamagedError struct {
	Path string
	Err  error // DuckDB's
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("无法打开数据库 %s：%v。请从备份恢复（复制备份的数据库及其 .key 密钥文件）；"+
		"没有备份时，把这个文件移到别处，再重新导入各月的工作簿。原文件未被改动: %v", e.Path, ErrDamaged, e.Err)
}

func (e *DamagedError) Unwrap() []error { return []error{ErrDamaged, e.Err} }

func openError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock"):
		// ufa serve leaves a note beside the file while it runs.
		if who, err := os.ReadFile(path + ".serving"); err == nil && len(who) > 0 {
			return fmt.Errorf("%w（%s：%s 正在运行；门户运行时请在门户中操作，或先停止门户）", ErrLocked, path, strings.TrimSpace(string(who)))
		}
		return fmt.Errorf("%w（%s）", ErrLocked, path)
	case strings.Contains(msg, "No space left on device") || strings.Contains(msg, "Disk quota exceeded"):
		return fmt.Errorf("磁盘空间不足，无法打开数据库 %s：请清理磁盘（或把数据库移到有空间的位置）后重试；数据库未被改动: %w", path, err)
	case strings.Contains(msg, "not a valid DuckDB database") || strings.Contains(msg, "Could not read enough bytes") ||
		strings.Contains(msg, "Corrupt database file") || strings.Contains(msg, "block checksum") ||
		strings.Contains(msg, "Serialization Error"):
		return &DamagedError{Path: path, Err: err}
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
	files, err := sqlfile.Load(migrationFiles, "migrations/*")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, f := range files {
		base := path.Base(f.Name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(base, ".sql") {
			return nil, fmt.Errorf("migration file %s is not named NNN_name.sql", base)
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(base, ".sql"), sql: f.Text})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	// Versions are 1, 2, 3... without gaps: a warehouse records the newest
	// version it has, so a migration numbered below it would never run.
	for i, m := range out {
		if m.version != i+1 {
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
			return errOutdated
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
