//go:build !cgo

package main

import (
	"context"
	"fmt"
)

// warehouseCommands in a build without cgo (the portable validator): the
// warehouse commands exist but explain that they need the full ufa.
func warehouseCommands() []command {
	var out []command
	for _, name := range []string{"ingest", "metrics", "dashboards", "report", "query", "export", "run", "demo"} {
		name := name
		out = append(out, command{name, "（本便携版不含数据库，请使用完整版 ufa）", func(context.Context, *app, []string) error {
			return fmt.Errorf("本便携版 ufa 只含 template、validate 和 gen 命令；%s 需要完整版 ufa（含数据库）", name)
		}})
	}
	return out
}

// isWarehouseCommand: the portable validator has no warehouse.
func isWarehouseCommand(string) bool { return false }
