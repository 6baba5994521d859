//go:build cgo

package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestQuerySealed: free SQL reads the warehouse's tables and nothing else;
// --allow-files opens named files or folders, never the key.
func TestQuerySealed(t *testing.T) {
	db := queryWarehouse(t)
	dir := filepath.Dir(db)
	key := db + ".key"
	if err := os.WriteFile(key, []byte("0123456789abcdef0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	csvFile := filepath.Join(data, "名单.csv")
	if err := os.WriteFile(csvFile, []byte("名称,人数\n甲,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sealed := []struct{ sql, want string }{
		{"SELECT content FROM read_text('" + key + "')", "不能读写文件"},
		{"SELECT content FROM read_blob('" + key + "')", "不能读写文件"},
		{"SELECT * FROM read_csv('/etc/passwd')", "不能读写文件"},
		{"SELECT * FROM read_csv('" + csvFile + "')", "--allow-files"},
		{"SELECT * FROM read_parquet('https://example.com/x.parquet')", "不能读写文件"},
		{"SELECT * FROM glob('/etc/*')", "不能读写文件"},
		{"INSTALL httpfs", "不能执行"},
		{"LOAD httpfs", "不能执行"},
		{"COPY submissions TO '" + filepath.Join(dir, "leak.csv") + "'", "不能执行"},
		{"ATTACH '" + filepath.Join(dir, "o.duckdb") + "'", "不能执行"},
		{"SET enable_external_access = true", "不能执行"},
		{"SET lock_configuration = false", "不能执行"},
	}
	for _, tc := range sealed {
		code, stdout, errs := runUFA("query", "--db", db, tc.sql)
		if code != exitFailed || !strings.Contains(errs, tc.want) || strings.Contains(stdout, "0123456789abcdef") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2 and %q", tc.sql, code, stdout, errs, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "leak.csv")); err == nil {
		t.Error("COPY wrote a file")
	}
	// The same in a file format written by ufa itself (Parquet is COPY).
	out := filepath.Join(t.TempDir(), "r.parquet")
	if code, _, errs := runUFA("query", "--db", db, "--format", "parquet", "-o", out, "SELECT content FROM read_text('"+key+"')"); code != exitFailed || !strings.Contains(errs, "不能读写文件") {
		t.Errorf("parquet of the key: exit %d %q", code, errs)
	}
	if code, _, errs := runUFA("query", "--db", db, "--format", "parquet", "-o", out, "SELECT count(*) AS n FROM submissions"); code != exitOK {
		t.Errorf("sealed parquet output: exit %d %q", code, errs)
	}
	// Allowed on purpose: a file, a folder.
	for _, allow := range []string{csvFile, data} {
		code, stdout, errs := runUFA("query", "--db", db, "--allow-files", allow, "SELECT * FROM read_csv('"+csvFile+"')")
		if code != exitOK || !strings.Contains(stdout, "甲") {
			t.Errorf("--allow-files %s: exit %d, %q %q", allow, code, stdout, errs)
		}
	}
	// The key stays out of reach: named, in the folder, linked from an
	// allowed folder, or outside the allowed folder.
	linkDir := t.TempDir()
	if err := os.Symlink(key, filepath.Join(linkDir, "k.txt")); err != nil {
		t.Fatal(err)
	}
	hardDir := t.TempDir()
	hard := filepath.Join(hardDir, "copy.txt")
	if err := os.Link(key, hard); err != nil {
		t.Logf("no hard link: %v", err)
		hard = ""
	}
	refusals := []struct {
		allow, sql string
	}{
		{key, "SELECT content FROM read_text('" + key + "')"},
		{dir, "SELECT content FROM read_text('" + key + "')"},
		{linkDir, "SELECT content FROM read_text('" + filepath.Join(linkDir, "k.txt") + "')"},
		{data, "SELECT content FROM read_text('" + key + "')"},
		{data, "SELECT content FROM read_text('" + filepath.Join(data, "..", filepath.Base(dir), filepath.Base(key)) + "')"},
	}
	if hard != "" {
		refusals = append(refusals, struct{ allow, sql string }{hardDir, "SELECT content FROM read_text('" + hard + "')"})
	}
	for _, tc := range refusals {
		code, stdout, errs := runUFA("query", "--db", db, "--allow-files", tc.allow, tc.sql)
		if code != exitFailed || strings.Contains(stdout, "0123456789abcdef") || !strings.Contains(errs, "密钥") && !strings.Contains(errs, "不能读写文件") {
			t.Errorf("--allow-files %s %s: exit %d, stdout %q, stderr %q", tc.allow, tc.sql, code, stdout, errs)
		}
	}
	// Named queries are not sealed off from their tables.
	if code, stdout, errs := runUFA("query", "--db", db, "ranking", "--param", "month=2026-10"); code != exitOK || !strings.Contains(stdout, "沈阳市") {
		t.Errorf("ranking: exit %d %q %q", code, stdout, errs)
	}
}

// TestQuerySQLStartingWithComment: a SQL text whose first line is a
// comment is not taken for a flag, with or without "--" before it.
func TestQuerySQLStartingWithComment(t *testing.T) {
	db := queryWarehouse(t)
	for _, args := range [][]string{
		{"query", "--db", db, "-- 城市数\nSELECT 7 AS n"},
		{"query", "--db", db, "--", "-- 城市数\nSELECT 7 AS n"},
		{"query", "--db", db, "--format", "csv", "--城市数\nSELECT 7 AS n"},
	} {
		code, stdout, errs := runUFA(args...)
		if code != exitOK || !strings.Contains(stdout, "7") {
			t.Errorf("%q: exit %d, %q %q", args, code, stdout, errs)
		}
	}
}

// TestDamagedWarehouse: a file that is not a database, or a truncated
// one, gives a Chinese message with what to do, and is left as it was.
func TestDamagedWarehouse(t *testing.T) {
	good := queryWarehouse(t)
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	notDB := filepath.Join(dir, "text.duckdb")
	os.WriteFile(notDB, []byte("month,city\n2026-10,沈阳市\n"), 0o644)
	truncated := filepath.Join(dir, "cut.duckdb")
	os.WriteFile(truncated, b[:len(b)/3], 0o644)
	header := filepath.Join(dir, "head.duckdb")
	os.WriteFile(header, b[:5000], 0o644)
	for _, db := range []string{notDB, truncated, header} {
		before := queryFileHash(t, db)
		for _, args := range [][]string{
			{"query", "--db", db, "SELECT 1"},
			{"report", "--db", db, "--month", "2026-10", "-o", filepath.Join(dir, "r.xlsx")},
			{"export", "--db", db, "--out", filepath.Join(dir, "exp")},
			{"metrics", "--db", db, "--month", "2026-10"},
			{"dashboards", "--db", db, "--month", "2026-10", "--out", filepath.Join(dir, "dash")},
		} {
			code, _, errs := runUFA(args...)
			if code != exitFailed || !strings.Contains(errs, "损坏") || !strings.Contains(errs, "备份") || !strings.Contains(errs, "字节") || strings.Contains(errs, "panic") {
				t.Errorf("%v: exit %d, stderr %q", args, code, errs)
			}
		}
		if queryFileHash(t, db) != before {
			t.Errorf("%s was changed", db)
		}
	}
}

// fullDisk is a writer on a full disk.
type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "/mnt/满/out", Err: syscall.ENOSPC}
}

// TestDiskFull: a write that fails for want of space says so in Chinese,
// with what to do, and leaves no partial file.
func TestDiskFull(t *testing.T) {
	db := queryWarehouse(t)
	var e bytes.Buffer
	code := run(context.Background(), []string{"query", "--db", db, "SELECT 1 AS x"}, fullDisk{}, &e)
	if code != exitFailed || !strings.Contains(e.String(), "磁盘空间不足") || !strings.Contains(e.String(), "清理磁盘") {
		t.Errorf("query to a full disk: exit %d, %q", code, e.String())
	}
	dir := t.TempDir()
	err := writeFileAtomic(filepath.Join(dir, "r.csv"), func(w io.Writer) error {
		_, err := fullDisk{}.Write([]byte("x"))
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "磁盘空间不足") {
		t.Errorf("writeFileAtomic on a full disk: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left behind: %v", ents)
	}
	// DuckDB's own wording of a full disk.
	if err := diskError("x.csv", errors.New(`IO Error: Could not write file "x.csv": No space left on device`)); !strings.Contains(err.Error(), "磁盘空间不足") {
		t.Errorf("DuckDB full disk: %v", err)
	}
}

// TestAllowFilesThroughALink: a file allowed by a link's name is read by
// that name; a link to the key is refused whatever its name.
func TestAllowFilesThroughALink(t *testing.T) {
	db := queryWarehouse(t)
	key := db + ".key"
	if err := os.WriteFile(key, []byte("0123456789abcdef0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	real := filepath.Join(dir, "真.csv")
	os.WriteFile(real, []byte("a\n1\n"), 0o644)
	link := filepath.Join(t.TempDir(), "链接.csv")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	code, stdout, errs := runUFA("query", "--db", db, "--allow-files", link, "SELECT * FROM read_csv('"+link+"')")
	if code != exitOK || !strings.Contains(stdout, "1") {
		t.Errorf("allowed link: exit %d %q %q", code, stdout, errs)
	}
	keyLink := filepath.Join(t.TempDir(), "名单.csv")
	if err := os.Symlink(key, keyLink); err != nil {
		t.Fatal(err)
	}
	code, stdout, errs = runUFA("query", "--db", db, "--allow-files", keyLink, "SELECT * FROM read_text('"+keyLink+"')")
	if code != exitFailed || strings.Contains(stdout, "0123456789abcdef") || !strings.Contains(errs, "密钥") {
		t.Errorf("link to the key: exit %d %q %q", code, stdout, errs)
	}
}
