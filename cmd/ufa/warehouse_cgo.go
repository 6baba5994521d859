//go:build cgo

package main

// warehouseCommands are the commands that need the DuckDB warehouse (cgo).
func warehouseCommands() []command {
	return []command{
		{"metrics", "计算并存储某月的考核指标、综合得分与排名", runMetrics}}
}
