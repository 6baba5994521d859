//go:build !unix

package xlsxscan

func cpuNanos() int64 { return 0 }
