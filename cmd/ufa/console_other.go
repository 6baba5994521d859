//go:build !windows

package main

// ownConsole: outside Windows a terminal cannot tell who opened it; a
// program started from a terminal with a workbook and no command waits
// for Enter, which costs one key press.
func ownConsole() bool { return true }
