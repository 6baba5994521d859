//go:build cgo

package main

// warehouseCommands are the commands that need the DuckDB warehouse (cgo).
func warehouseCommands() []command {
	return []command{}
}
