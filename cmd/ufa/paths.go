package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"ufa/ingest"
)

// errNoFiles: the paths hold no workbook.
var errNoFiles = errors.New("no xlsx files")

// collectWorkbooks turns the arguments into the files to validate
// (ingest.Collect): files as given, folders searched recursively (files in
// name order), wildcard patterns into their matches, since Windows shells
// do not expand them; repeats dropped. Every file is accounted for: a file
// that is not an .xlsx is validated all the same (one E_FILE saying what
// to do: 另存为 .xlsx), and what is not read — Office lock files, WPS and
// macOS side files, FIFOs, devices, sockets, the folders of exclude (the
// job's own outputs) — gets one line on notes saying so. errNoFiles when
// nothing is left to read (validate refuses that; the monthly job carries
// on with an empty inbox).
func collectWorkbooks(args []string, notes io.Writer, exclude ...string) ([]string, error) {
	// The commands that read workbooks start here: the temporary folders
	// a killed earlier run left behind go first.
	ingest.RemoveStaleTemp()
	b, err := ingest.Collect(args, ingest.CollectOptions{Exclude: exclude})
	if errors.Is(err, ingest.ErrNotFound) {
		return nil, usagef("找不到 %s：请检查文件的路径和名称", ingest.ShownPath(strings.TrimPrefix(err.Error(), ingest.ErrNotFound.Error()+": ")))
	}
	if err != nil {
		return nil, usagef("%v", err)
	}
	for _, s := range b.Skipped {
		fmt.Fprintf(notes, "跳过 %s：%s\n", ingest.ShownPath(s.Path), s.Reason)
	}
	if len(b.Files) == 0 {
		return nil, errNoFiles
	}
	return b.Files, nil
}

// runOutInInbox decides about ufa run's --out and --inbox: an output
// folder inside the inbox is skipped when the inbox is read (returned as
// exclude, for collectWorkbooks), so that the job never takes its own
// report, dashboards or annotated copies for submissions; an output
// folder that is the inbox, or an inbox inside the job's output folders,
// is refused (exit 2), since the two could not be told apart.
func runOutInInbox(inbox, out string) (exclude []string, err error) {
	in, errIn := filepath.Abs(inbox)
	o, errOut := filepath.Abs(out)
	if errIn != nil || errOut != nil {
		return []string{out}, nil
	}
	if sameDir(in, o) {
		return nil, usagef("--out 不能与 --inbox 是同一个文件夹 %s：输出（考核报告、看板、标注副本）会被下次当作报送读入；请另给一个输出文件夹，例如 --out 结果", out)
	}
	for _, sub := range []string{"rejected", "dashboards"} {
		if within(in, filepath.Join(o, sub)) {
			return nil, usagef("--inbox %s 在输出文件夹 %s 之内：请把收件箱与输出分开", inbox, filepath.Join(out, sub))
		}
	}
	return []string{out}, nil
}

// sameDir tells whether two paths name one folder (also through links).
func sameDir(a, b string) bool {
	if a == b {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// within tells whether path is dir or inside it (by name).
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
