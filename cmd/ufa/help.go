package main

import (
	"os"
	"os/exec"
	"strings"
)

// commandExamples are the examples at the end of each command's --help,
// written as they run once ufa is on the PATH (make install).
var commandExamples = map[string][]string{
	"template": {
		"ufa template --city 沈阳市 --month 2026-10 -o 沈阳市_2026-10.xlsx",
	},
	"validate": {
		"ufa validate 沈阳市_2026-10.xlsx",
		"ufa validate --annotate 沈阳市_2026-10_校验.xlsx 沈阳市_2026-10.xlsx",
		"ufa validate --annotate 标注 收件箱/2026-10",
	},
	"gen": {
		"ufa gen --out 模拟 --from 2026-01 --to 2026-03 --scale 0.01",
		"ufa gen --out 模拟 --faults --city 沈阳市",
	},
	"ingest": {
		"ufa ingest 收件箱/2026-10",
		"ufa ingest --db ufa.duckdb --key-file /安全位置/省级密钥.key 沈阳市_2026-10.xlsx",
	},
	"metrics": {
		"ufa metrics --month 2026-10",
		"ufa metrics --month 2026-10 --explain work_coverage --city 大连市",
		"ufa metrics --list",
	},
	"dashboards": {
		"ufa dashboards --month 2026-10 --out 看板/2026-10",
	},
	"report": {
		"ufa report --month 2026-10 -o 考核情况_2026-10.xlsx",
	},
	"query": {
		"ufa query --list",
		"ufa query ranking --param month=2026-10",
		"ufa query coverage --param month=2026-10 --format xlsx -o 覆盖情况.xlsx",
		"ufa query \"SELECT city_name, count(*) FROM cur_submissions GROUP BY ALL\"",
		"ufa query --format csv -o 排名.csv ranking --param month=2026-10",
		"ufa query --allow-files 排名.csv \"SELECT * FROM read_csv('排名.csv')\"",
	},
	"export": {
		"ufa export --out 导出",
	},
	"run": {
		"ufa run --month 2026-10 --inbox 收件箱/2026-10 --out 结果/2026-10",
	},
	"demo": {
		"ufa demo",
		"ufa demo --dir 演示 --scale 0.1",
	},
	"serve": {
		"ufa serve --db demo/ufa.duckdb --demo-key",
		"ufa serve --db ufa.duckdb --addr 0.0.0.0:8443 --tls-cert 证书.pem --tls-key 私钥.pem",
	},
	"user": {
		"ufa user add 沈阳填报员 --role city --city 沈阳市",
		"ufa user passwd 沈阳填报员",
		"ufa user list",
	},
}

// selfCommand is how to run this ufa again from the current folder, for
// command lines printed to be copied (the demo's "try next"): "ufa" when
// the PATH finds this very program (make install), otherwise the path it
// was started by, such as bin/ufa after make demo.
func selfCommand() string {
	self, err := os.Executable()
	if err != nil {
		return "ufa"
	}
	if p, err := exec.LookPath("ufa"); err == nil && samePath(p, self) {
		return "ufa"
	}
	if arg0 := os.Args[0]; strings.ContainsAny(arg0, `/\`) {
		return arg0
	}
	return self
}
