package transform

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestEngineSettings: DuckDB runs with the memory limit and threads asked
// for, the defaults when none are, read-only opens included; a limit that
// is not a size is refused before the file is touched.
func TestEngineSettings(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ufa.duckdb")
	setting := func(w *Warehouse, name string) string {
		t.Helper()
		var v string
		if err := w.DB().QueryRowContext(ctx, "SELECT current_setting(?)::VARCHAR", name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		eng      Engine
		readOnly bool
		mem      string // the start of DuckDB's wording of the limit
		threads  int
	}{
		{Engine{}, false, "488.2 MiB", runtime.GOMAXPROCS(0)}, // 512 MB
		{Engine{MemoryLimit: "2GB", Threads: 1}, false, "1.8 GiB", 1},
		{Engine{MemoryLimit: "256MiB", Threads: 3}, true, "256.0 MiB", 3},
	} {
		w, err := Open(ctx, path, Options{Engine: c.eng, ReadOnly: c.readOnly})
		if err != nil {
			t.Fatal(err)
		}
		if got := setting(w, "memory_limit"); !strings.HasPrefix(got, c.mem) {
			t.Errorf("%+v: memory_limit %q, want %s", c.eng, got, c.mem)
		}
		if got := setting(w, "threads"); got != strconv.Itoa(c.threads) {
			t.Errorf("%+v: threads %s, want %d", c.eng, got, c.threads)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range []Engine{{MemoryLimit: "lots"}, {MemoryLimit: "512"}, {MemoryLimit: "1GB; DROP"}, {Threads: -1}} {
		missing := filepath.Join(t.TempDir(), "never.duckdb")
		if _, err := Open(ctx, missing, Options{Engine: e}); err == nil {
			t.Errorf("%+v: opened", e)
		} else if !strings.Contains(err.Error(), "无效") {
			t.Errorf("%+v: %v", e, err)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Errorf("%+v: created %s", e, missing)
		}
	}
}
