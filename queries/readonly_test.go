package queries

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// The splitter's tests (TestSplitStatements, TestSplitStatementsExact)
// moved with it to internal/sqlfile (TestSplitTypedCount,
// TestSplitTypedExact).

// A free statement that would write, or more than one statement, is
// refused before it reaches DuckDB, with a message saying what to do.
func TestReadOnlyRefusal(t *testing.T) {
	r, b := fixture(t)
	before := fileHash(t, b.DB)
	ctx := context.Background()
	refused := []struct{ sql, want string }{
		{"INSERT INTO meta VALUES ('a', 'b')", "不能执行 INSERT"},
		{"insert into meta values ('a', 'b')", "不能执行 INSERT"},
		{"UPDATE submissions SET errors = 0", "不能执行 UPDATE"},
		{"DELETE FROM findings", "不能执行 DELETE"},
		{"DROP TABLE findings", "不能执行 DROP"},
		{"CREATE TABLE x AS SELECT 1", "不能执行 CREATE"},
		{"COPY submissions TO '/tmp/x.csv'", "不能执行 COPY"},
		{"ATTACH 'other.duckdb' AS o", "不能执行 ATTACH"},
		{"DETACH o", "不能执行 DETACH"},
		{"PRAGMA table_info('meta')", "不能执行 PRAGMA"},
		{"SET threads = 1", "不能执行 SET"},
		{"CALL checkpoint()", "不能执行 CALL"},
		{"INSTALL httpfs", "不能执行 INSTALL"},
		{"EXPORT DATABASE '/tmp/x'", "不能执行 EXPORT"},
		{"  -- comment first\n/* and another */ ( DELETE FROM findings )", "不能执行 DELETE"},
		{"SELECT 1; SELECT 2", "只能执行一条"},
		{"SELECT 1; DROP TABLE findings", "只能执行一条"},
		{"SELECT * FROM meta; INSERT INTO meta VALUES ('a', 'b');", "只能执行一条"},
		{"WITH x AS (SELECT 1) INSERT INTO meta SELECT 'a', 'b' FROM x", "不是只读的查询"},
		{"EXPLAIN ANALYZE DELETE FROM findings", "不能执行 DELETE"},
		{"EXPLAIN EXPLAIN SELECT 1", "只能说明一条查询"},
		{"SELEC 1", "拼写"},
		{"SELECT FROM WHERE", "语法错误"},
		{"", "没有给出 SQL"},
		{";", "没有给出 SQL"},
	}
	for _, tc := range refused {
		_, err := r.Run(ctx, Request{SQL: tc.sql})
		var re *RequestError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want a RequestError saying %q", tc.sql, err, tc.want)
		}
		if err := r.Parquet(ctx, Request{SQL: tc.sql}, t.TempDir()+"/x.parquet"); !errors.As(err, &re) {
			t.Errorf("%q as parquet: %v, want a refusal", tc.sql, err)
		}
	}
	allowed := []string{
		"SELECT count(*) FROM cur_submissions",
		"select 1;",
		"WITH x AS (SELECT 1 AS a) SELECT a FROM x",
		"FROM meta",
		"VALUES (1, 2)",
		"DESCRIBE cur_organizations",
		"SHOW TABLES",
		"SUMMARIZE meta",
		"EXPLAIN SELECT 1",
		"-- a comment\n(SELECT 1) UNION ALL (SELECT 2)",
		"SELECT 'DROP TABLE x; --' AS s",
	}
	for _, s := range allowed {
		rows, err := r.Run(ctx, Request{SQL: s})
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if res := collect(t, rows); len(res.rows) == 0 {
			t.Errorf("%q: no rows", s)
		}
	}
	// The second guard: the warehouse itself is open read-only, so a
	// write that got past the check would still fail.
	if _, err := r.query(ctx, "INSERT INTO meta VALUES ('a', 'b')"); err == nil || !strings.Contains(err.Error(), "只读") {
		t.Errorf("a write on the read-only warehouse: %v", err)
	}
	if after := fileHash(t, b.DB); after != before {
		t.Error("the warehouse file changed")
	}
}

func fileHash(t testing.TB, path string) [32]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return [32]byte(h.Sum(nil))
}
