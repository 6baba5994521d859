//go:build unix

package xlsxscan

import "syscall"

// cpuNanos is the process's user+system CPU time: on a shared machine the
// benchmarks report it next to wall time, which other load inflates.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
