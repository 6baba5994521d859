package read

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// excelize spills large parts (worksheets over rdUnzipXMLSizeLimit, the
// shared strings) to temporary files. They go to a folder of the read's
// own, private to the user (0700), removed when the read ends, also after
// a panic. The folder's name carries the process id, so that the folders
// of a run that was killed are recognised and removed by the next one
// (RemoveStaleTemp).

const tempPrefix = "ufa-tmp-"

// newTempDir makes a read's private temporary folder.
func newTempDir() (string, error) {
	return os.MkdirTemp("", fmt.Sprintf("%s%d-", tempPrefix, os.Getpid()))
}

// RemoveStaleTemp removes the temporary folders that runs of ufa which
// no longer exist left behind (killed in the middle of a read), and
// returns how many it removed. The commands that read workbooks call it
// when they start. Folders of running processes are left alone.
func RemoveStaleTemp() int {
	return removeStaleTemp(os.TempDir(), pidAlive)
}

func removeStaleTemp(dir string, alive func(int) bool) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), tempPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || alive(pid) {
			continue
		}
		if os.RemoveAll(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n
}

// pidAlive tells whether a process exists. On Windows FindProcess fails
// for a process that does not; elsewhere signal 0 asks without sending.
func pidAlive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	defer p.Release()
	if runtime.GOOS == "windows" {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
