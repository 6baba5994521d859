package dashboards

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/internal/testing/genwh"
	"ufa/transform"
)

// hostileFileName is the name under which a copy of a workbook is sent
// again: file names come from outside too.
const hostileFileName = `<img src=x onerror="window.__xss=1">沈阳市_2026-12.xlsx`

// buildYear builds the generated year 2026 at the given scale (with the
// generator's rejected attempts, corrections, a late and a skipped
// city-month) as every stage's tests do (genwh), optionally planting
// hostile names first: xssNames as the two largest organizations of 沈阳市
// without a Party organization in December, and a resubmission of that
// workbook under hostileFileName. It returns the warehouse file.
func buildYear(tb testing.TB, dir string, scale float64, hostile bool) string {
	tb.Helper()
	db := filepath.Join(dir, "ufa.duckdb")
	opt := gen.Options{Out: filepath.Join(dir, "inbox"), From: "2026-01", To: "2026-12", Seed: 42, Scale: scale, Faults: true}
	_, err := genwh.BuildWith(context.Background(), spec.Load(), opt, db, func(paths []string) ([]string, error) {
		if !hostile {
			return paths, nil
		}
		src := ""
		for _, p := range paths {
			if filepath.Base(p) == "沈阳市_2026-12.xlsx" {
				src = p
				plantHostileNames(tb, p)
			}
		}
		if src == "" {
			return nil, fmt.Errorf("the generator wrote no 沈阳市_2026-12.xlsx")
		}
		// The same workbook once more under a hostile name: recorded as
		// unchanged, listed in 沈阳市's submission history.
		b, err := os.ReadFile(src)
		if err != nil {
			return nil, err
		}
		again := filepath.Join(dir, hostileFileName)
		if err := os.WriteFile(again, b, 0o644); err != nil {
			return nil, err
		}
		return append(paths, again), nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

// plantHostileNames renames the two organizations with the most staff
// among those without a Party organization to xssNames.
func plantHostileNames(tb testing.TB, path string) {
	tb.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	const sheet = "社会组织"
	rows, err := f.GetRows(sheet)
	if err != nil {
		tb.Fatal(err)
	}
	col := map[string]int{}
	header := -1
	for i, r := range rows {
		for j, v := range r {
			if v == "组织名称" {
				header = i
			}
			col[v] = j
		}
		if header >= 0 {
			break
		}
	}
	name, staff, party := col["组织名称"], col["从业人员数"], col["是否建立党组织"]
	if header < 0 || staff == 0 || party == 0 {
		tb.Fatalf("%s: no header row with 组织名称, 从业人员数, 是否建立党组织", path)
	}
	type cand struct{ row, staff int }
	var cands []cand
	for i := header + 1; i < len(rows); i++ {
		r := rows[i]
		if party < len(r) && r[party] == "否" && staff < len(r) {
			n, err := strconv.Atoi(r[staff])
			if err == nil {
				cands = append(cands, cand{i, n})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].staff > cands[j].staff })
	if len(cands) < len(xssNames) {
		tb.Fatalf("%s: fewer than %d organizations without a Party organization", path, len(xssNames))
	}
	for k, x := range xssNames {
		cell, err := excelize.CoordinatesToCellName(name+1, cands[k].row+1)
		if err != nil {
			tb.Fatal(err)
		}
		if err := f.SetCellStr(sheet, cell, x); err != nil {
			tb.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		tb.Fatal(err)
	}
}

// openRead opens a warehouse read-only, as ufa dashboards does.
func openRead(tb testing.TB, db string) *transform.Warehouse {
	tb.Helper()
	w, err := transform.Open(context.Background(), db, transform.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { w.Close() })
	return w
}
