//go:build windows

package main

import (
	"syscall"
	"unsafe"
)

// ownConsole tells whether the console has no process but this one:
// Explorer opens a console for a program double-clicked or dropped on,
// while cmd.exe and PowerShell share theirs.
func ownConsole() bool {
	proc := syscall.NewLazyDLL("kernel32.dll").NewProc("GetConsoleProcessList")
	if proc.Find() != nil {
		return false
	}
	var ids [4]uint32
	n, _, _ := proc.Call(uintptr(unsafe.Pointer(&ids[0])), uintptr(len(ids)))
	return n == 1
}
