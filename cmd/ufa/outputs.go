package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"ufa/internal/spec"
)

// Every command that writes asks checkOutput first (issue 11): no output
// may land on the warehouse, its write-ahead log or its key, nor on one of
// the command's own inputs, and a file's extension must be the one its
// format implies, so that `-o ufa.duckdb` or `-o ufa.duckdb.key` can never
// replace the data or the key.

// output describes one path a command is about to write.
type output struct {
	flag string // how the user gave it: "-o", "--out", "--annotate"
	path string
	// ext is the extension the format implies (".xlsx"); "" for a folder
	// or any file.
	ext string
	// dir: the path is a folder the command writes into.
	dir bool
}

// guarded are the files no command may write over: the warehouse, its
// WAL and key (beside it, or given by --key-file / UFA_KEY_FILE), and
// the command's inputs.
type guarded struct {
	db      string
	keyFile string
	inputs  []string
}

// protectedFiles lists the files of g with what each one is, for the
// message.
func (g guarded) protectedFiles() [][2]string {
	var out [][2]string
	if g.db != "" {
		out = append(out,
			[2]string{g.db, "数据库"},
			[2]string{g.db + ".wal", "数据库的日志文件"},
			[2]string{g.db + ".key", "数据库的密钥文件"})
	}
	for _, k := range keyFiles(g.keyFile) {
		out = append(out, [2]string{k, "密钥文件"})
	}
	for _, in := range g.inputs {
		if in != "" {
			out = append(out, [2]string{in, "本次要读取的文件"})
		}
	}
	return out
}

// keyFiles are the key files named outside the warehouse's folder: the
// --key-file flag and UFA_KEY_FILE.
func keyFiles(flagValue string) []string {
	var out []string
	if flagValue != "" {
		out = append(out, flagValue)
	}
	if env := os.Getenv("UFA_KEY_FILE"); env != "" {
		out = append(out, env)
	}
	return out
}

// secretFiles are the key files of the warehouse db, which free SQL must
// never read.
func secretFiles(db, keyFlag string) []string {
	return append([]string{db + ".key"}, keyFiles(keyFlag)...)
}

// checkOutput refuses (a usage error, exit 2) an output that is a
// protected file, whose extension does not match its format, or that is a
// folder where a file is to be written (or the other way round).
func checkOutput(o output, g guarded) error {
	if err := checkTarget(o, g); err != nil {
		return err
	}
	return checkKind(o)
}

// checkTarget refuses an output that is a protected file or whose
// extension does not match its format.
func checkTarget(o output, g guarded) error {
	if o.path == "" {
		return nil
	}
	for _, p := range g.protectedFiles() {
		if samePath(o.path, p[0]) {
			return usagef("%s %s 就是%s %s：写出的结果会覆盖它。请另选一个文件名", o.flag, o.path, p[1], p[0])
		}
	}
	if o.ext != "" && !strings.EqualFold(filepath.Ext(o.path), o.ext) {
		return usagef("%s %s：这种格式的文件名应以 %s 结尾，例如 %s", o.flag, o.path, o.ext,
			strings.TrimSuffix(o.path, filepath.Ext(o.path))+o.ext)
	}
	return nil
}

// checkKind refuses a folder where a file is to be written and the other
// way round, before any work.
func checkKind(o output) error {
	if o.path == "" {
		return nil
	}
	if st, err := os.Stat(o.path); err == nil {
		switch {
		case o.dir && !st.IsDir():
			return usagef("%s %s 是一个文件，而这里要的是文件夹：请另给一个文件夹", o.flag, o.path)
		case !o.dir && st.IsDir():
			return usagef("%s %s 是一个文件夹，而这里要的是文件名：请写出文件的名称，例如 %s", o.flag, o.path,
				filepath.Join(o.path, "结果"+o.ext))
		case !o.dir && !st.Mode().IsRegular():
			return usagef("%s %s 不是普通文件：请另选一个文件名", o.flag, o.path)
		}
	}
	return nil
}

// samePath tells whether a and b name one file: the same file on disk
// (through links or different spellings), or, when either does not exist
// yet, the same clean absolute path once the links of the existing
// folders are resolved.
func samePath(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	// A dangling link: writing through it would create its target.
	if ta, err := os.Readlink(a); err == nil {
		if !filepath.IsAbs(ta) {
			ta = filepath.Join(filepath.Dir(a), ta)
		}
		return samePath(ta, b)
	}
	return resolved(a) == resolved(b)
}

// resolved is p made absolute and clean, with the links of its longest
// existing leading folder resolved.
func resolved(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	dir, rest := abs, ""
	for {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// formatExt is the extension a --format implies for an -o file.
func formatExt(format string) string {
	switch format {
	case "table":
		return ""
	default:
		return "." + format
	}
}

// isDiskFull tells an error caused by a full disk (or quota), from Go's
// file writes or DuckDB's.
func isDiskFull(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "No space left on device") || strings.Contains(msg, "Disk quota exceeded") ||
		strings.Contains(msg, "not enough space") || strings.Contains(msg, "There is not enough space on the disk")
}

// diskError words a write that failed, a full disk above all.
func diskError(path string, err error) error {
	if isDiskFull(err) {
		return fmt.Errorf("磁盘空间不足，无法写出 %s：请清理磁盘（或换一个有空间的位置）后重试；没有写完的文件已删除，数据库未被改动。（%w）", path, err)
	}
	return fmt.Errorf("无法写出 %s：%w", path, err)
}

// checkOutputs checks several files written by one command (validate's
// annotated copies) against the default warehouse and the inputs.
func checkOutputs(flag string, outs []string, ext string, inputs []string) error {
	for _, o := range outs {
		// Only the target: validate reports a copy it cannot write after
		// the files' reports, as before.
		if err := checkTarget(output{flag: flag, path: o, ext: ext}, guarded{db: spec.DefaultDB, inputs: inputs}); err != nil {
			return err
		}
	}
	return nil
}
