//go:build cgo

package main

// warehouseCommands are the commands that need the DuckDB warehouse (cgo).
func warehouseCommands() []command {
	return []command{
		{"metrics", "计算并存储某月的考核指标、综合得分与排名", runMetrics},
		{"dashboards", "生成某月的离线 HTML 看板（全省总览、各市、报送质量）", runDashboards},
		{"ingest", "校验并导入各市报送的工作簿（整本导入或整本拒收，保留历史）", runIngest},
		{"export", "把数据库各表导出为 Parquet（按月份、城市分区）", runExport},
		{"query", "运行命名查询或只读 SQL，输出表格、CSV、JSON、Excel 或 Parquet", runQuery},
		{"report", "写出某月的考核报告（Excel 工作簿，可直接打印成文）", runReport},
		{"run", "每月考核作业：导入收件箱，计算指标，生成看板和考核报告，汇总报送情况", runRun},
		{"demo", "一条命令看全流程：生成一年的模拟报送，逐月运行考核作业", runDemo},
		{"serve", "启动考核门户：各市上传、省级查看报送看板、领导查看看板", runServe},
		{"user", "管理考核门户的账户（门户停止时）", runUser},
	}
}

// isWarehouseCommand tells whether the command opens the warehouse (it
// then takes --memory-limit and --threads).
func isWarehouseCommand(name string) bool {
	for _, c := range warehouseCommands() {
		if c.name == name {
			return true
		}
	}
	return false
}
