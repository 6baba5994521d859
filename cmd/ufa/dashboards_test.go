//go:build cgo

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ufa/dashboards"
)

// needAssets skips when ECharts and the map have not been fetched (a plain
// go test on a clean clone); in CI, where make test fetches them, it fails.
func needAssets(t *testing.T) []byte {
	t.Helper()
	m, err := dashboards.DefaultMap()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("dashboard assets missing in CI: %v", err)
		}
		t.Skipf("dashboard assets not fetched (run bash scripts/assets.sh): %v", err)
	}
	return m.GeoJSON
}

func TestDashboardsCommand(t *testing.T) {
	geo := needAssets(t)
	db := metricsWarehouse(t)
	if code, _, stderr := runUFA("metrics", "--db", db, "--month", "2026-10", "--format", "csv"); code != 0 {
		t.Fatalf("metrics: exit %d: %s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "看板")
	code, stdout, stderr := runUFA("dashboards", "--db", db, "--month", "2026-10", "--out", out, "--date", "2026-11-06")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	index := filepath.Join(out, "index.html")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if abs, _ := filepath.Abs(index); lines[len(lines)-1] != abs {
		t.Errorf("the last line is %q, want the path of index.html %q", lines[len(lines)-1], abs)
	}
	if !strings.Contains(stdout, "16 个页面") {
		t.Errorf("stdout: %s", stdout)
	}
	for _, p := range []string{"index.html", "quality.html", "city/210100.html", "city/211400.html", "assets/echarts.min.js", "assets/map.js", "assets/dash.js", "assets/dash.css"} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Error(err)
		}
	}
	page, _ := os.ReadFile(index)
	// Only October has data: the trends start there, not at an empty
	// November of the year before.
	for _, s := range []string{"生成日期：2026-11-06", "Apache ECharts 4.9.0 npm 包所附辽宁省地图", "2026年10月至2026年10月", "数据覆盖 1 个月"} {
		if !strings.Contains(string(page), s) {
			t.Errorf("index.html lacks %q", s)
		}
	}

	// An officially reviewed map replaces the built-in one, named on the page.
	mapFile := filepath.Join(t.TempDir(), "辽宁省标准地图.json")
	if err := os.WriteFile(mapFile, geo, 0o644); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(t.TempDir(), "out")
	code, _, stderr = runUFA("dashboards", "--db", db, "--month", "2026-10", "--out", out2, "--map", mapFile, "--map-source", "辽宁省标准地图，审图号：辽S（2024）001号")
	if code != 0 {
		t.Fatalf("--map: exit %d: %s", code, stderr)
	}
	page, _ = os.ReadFile(filepath.Join(out2, "index.html"))
	if !strings.Contains(string(page), "地图：辽宁省标准地图，审图号：辽S（2024）001号") {
		t.Error("index.html does not name the map given with --map")
	}
}

func TestDashboardsCommandRefuses(t *testing.T) {
	needAssets(t)
	db := metricsWarehouse(t)
	dir := t.TempDir()
	noCity := filepath.Join(dir, "map.json")
	if err := os.WriteFile(noCity, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"沈阳市"},"geometry":null}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	notJSON := filepath.Join(dir, "map.txt")
	if err := os.WriteFile(notJSON, []byte("not a map"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no month", []string{"--db", db, "--out", out}, "缺少 --month"},
		{"no out", []string{"--db", db, "--month", "2026-10"}, "缺少 --out"},
		{"bad month", []string{"--db", db, "--month", "2026-13", "--out", out}, "2026-13"},
		{"bad date", []string{"--db", db, "--month", "2026-10", "--out", out, "--date", "2026/11/06"}, "--date"},
		// A month with no workbook at all has nothing to compute (a month
		// with workbooks is computed when needed: TestStaleRecomputed).
		{"no workbooks", []string{"--db", db, "--month", "2026-09", "--out", out}, "ufa metrics --month 2026-09"},
		{"no warehouse", []string{"--db", filepath.Join(dir, "none.duckdb"), "--month", "2026-10", "--out", out}, "找不到数据库"},
		{"map lacks cities", []string{"--db", db, "--month", "2026-10", "--out", out, "--map", noCity}, "大连市"},
		{"map not json", []string{"--db", db, "--month", "2026-10", "--out", out, "--map", notJSON}, "GeoJSON"},
		{"source without map", []string{"--db", db, "--month", "2026-10", "--out", out, "--map-source", "x"}, "--map"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runUFA(append([]string{"dashboards"}, tc.args...)...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tc.want)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused run wrote the output folder")
	}
}
