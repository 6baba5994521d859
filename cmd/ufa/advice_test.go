//go:build cgo

package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"ufa/dashboards"
	"ufa/metrics"
	"ufa/queries"
	"ufa/transform"
)

// The libraries' typed errors get the command line's words wherever
// wrapping put them, and nothing else of the message changes.
func TestAdvise(t *testing.T) {
	nc := &metrics.NotComputedError{Month: "2026-09"}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"no warehouse", fmt.Errorf("导出: %w", &transform.NotFoundError{Path: "a.duckdb"}),
			"导出: 找不到数据库 a.duckdb：请先用 ufa ingest 导入工作簿，或用 --db 指定数据库文件"},
		{"no key", &transform.KeyError{Kind: transform.ErrNoKey, DB: "a.duckdb", Default: "a.duckdb.key"},
			"没有找到省级密钥：数据库 a.duckdb 中的身份证号散列是用省级密钥生成的，导入新数据必须用同一把密钥。请用 --key-file 指定建库时生成的密钥文件（默认是数据库旁的 a.duckdb.key）"},
		{"wrong key", fmt.Errorf("%w", &transform.KeyError{Kind: transform.ErrKeyMismatch, DB: "a.duckdb"}),
			"省级密钥与数据库不符：给出的密钥不是数据库 a.duckdb 建库时用的那一把；用不同的密钥会使同一人在各月份被当作不同的人。请用 --key-file 指定原来的密钥文件"},
		{"damaged", fmt.Errorf("%w（文件大小 9 字节）", &transform.DamagedError{Path: "a.duckdb", Err: errors.New("bad")}),
			"无法打开数据库 a.duckdb：文件已损坏或不是 ufa 的数据库。请用 --db 指定正确的数据库，或从备份恢复（复制备份的数据库及其 .key 密钥文件）；没有备份时，把这个文件移到别处，再用 ufa ingest 重新导入各月的工作簿。原文件未被改动: bad（文件大小 9 字节）"},
		{"not computed", fmt.Errorf("无法生成 2026-09 的报告：%w", nc),
			"无法生成 2026-09 的报告：该月尚未计算指标（2026-09）：请先运行 ufa metrics --month 2026-09"},
		{"not computed for", &metrics.NotComputedError{Month: "2026-09", For: "排名"},
			"该月尚未计算指标（2026-09）：排名需要先运行 ufa metrics --month 2026-09"},
		{"pages", &dashboards.NoMetricsError{Month: "2026-09", Err: nc},
			"2026-09 的指标尚未计算，无法生成看板：请先运行 ufa metrics --month 2026-09（该月尚未计算指标（2026-09）：请先运行 ufa metrics --month 2026-09）"},
		{"query cause", &queries.RequestError{Msg: "查询 ranking 读取已计算的指标，但" + nc.Error(), Err: nc},
			"查询 ranking 读取已计算的指标，但该月尚未计算指标（2026-09）：请先运行 ufa metrics --month 2026-09"},
		{"unknown indicator", &metrics.UnknownIndicatorError{ID: "x"}, `不认识的指标 "x"：可用的指标编号见 ufa metrics --list`},
		{"folder", &queries.FolderError{Dir: "d", Err: errors.New("e")}, "无法在 d 写文件：e（请检查 -o 给出的目录是否存在、是否可写）"},
		{"two keys", transform.ErrTwoKeys, "--demo-key 与 --key-file 只能给一个"},
		{"plain", errors.New("没有可说的"), "没有可说的"},
	}
	for _, tt := range tests {
		if got := advise(tt.err, tt.err.Error()); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

// The same through the commands: the words reach the terminal.
func TestAdviceCommands(t *testing.T) {
	db := queryWarehouse(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"query", "--db", db, "--format", "parquet", "-o", filepath.Join(t.TempDir(), "none", "x.parquet"), "SELECT 1"},
			"（请检查 -o 给出的目录是否存在、是否可写）"},
		{[]string{"query", "--db", db, "indicator_rows", "--param", "month=2026-09", "--param", "city=沈阳市", "--param", "indicator=rank"},
			"该月尚未计算指标（2026-09）：排名需要先运行 ufa metrics --month 2026-09"},
		{[]string{"metrics", "--db", db, "--month", "2026-10", "--explain", "nope", "--city", "沈阳市"},
			`不认识的指标 "nope"：可用的指标编号见 ufa metrics --list`},
		{[]string{"report", "--db", filepath.Join(t.TempDir(), "none.duckdb"), "--month", "2026-10", "-o", filepath.Join(t.TempDir(), "r.xlsx")},
			"：请先用 ufa ingest 导入工作簿，或用 --db 指定数据库文件"},
	}
	for _, tc := range tests {
		code, _, errs := runUFA(tc.args...)
		if code != exitFailed || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}
