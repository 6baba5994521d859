package read

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// This file decides what of a folder or a list of paths is a submission:
// every file is either read (and, when it is not an .xlsx, reported as
// E_FILE saying what to do) or skipped with a line that says why. Nothing
// is passed over in silence, and nothing that would block or loop
// (a FIFO, a device, a socket, a symlink to a folder) is opened.

// Skipped is a path of a batch that is not read, and why (Chinese, for
// the line the commands print).
type Skipped struct {
	Path   string
	Reason string
}

// Batch is what a list of paths holds: Files to validate in order, each
// given to Validate (which reports a file that is not an .xlsx as one
// E_FILE), and the paths Skipped.
type Batch struct {
	Files   []string
	Skipped []Skipped
}

// CollectOptions tune Collect.
type CollectOptions struct {
	// Exclude are folders whose contents are the job's own outputs (ufa
	// run's --out inside its --inbox): skipped whole, with a note.
	Exclude []string
}

// ErrNotFound: an argument names nothing (and is no wildcard pattern with
// matches). It wraps the path.
var ErrNotFound = errors.New("ingest: no such file or folder")

// Collect turns paths into a Batch. A file given by name is read as
// given (a side file or an unreadable kind is still skipped with its
// note); a folder is searched recursively, its files in name order; a
// wildcard pattern (Windows shells do not expand them) stands for its
// matches. Repeats are dropped. It does not open any file.
func Collect(args []string, opt CollectOptions) (*Batch, error) {
	b := &Batch{}
	seen := map[string]bool{}
	var excl []os.FileInfo
	for _, e := range opt.Exclude {
		if st, err := os.Stat(e); err == nil && st.IsDir() {
			excl = append(excl, st)
		}
	}
	excluded := func(st os.FileInfo) bool {
		for _, e := range excl {
			if os.SameFile(st, e) {
				return true
			}
		}
		return false
	}
	add := func(p string) {
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = p
		}
		if !seen[abs] {
			seen[abs] = true
			b.Files = append(b.Files, p)
		}
	}
	skip := func(p, reason string) { b.Skipped = append(b.Skipped, Skipped{Path: p, Reason: reason}) }
	// file decides about one entry that is not a folder being walked;
	// lst is its Lstat.
	file := func(p string, lst os.FileInfo) {
		if reason := SideFile(filepath.Base(p)); reason != "" {
			skip(p, reason)
			return
		}
		st := lst
		if lst.Mode()&fs.ModeSymlink != 0 {
			var err error
			if st, err = os.Stat(p); err != nil {
				skip(p, "符号链接指向的文件不存在或无法访问，已跳过")
				return
			}
			if st.IsDir() {
				skip(p, "指向文件夹的符号链接，已跳过（请直接给出该文件夹）")
				return
			}
		}
		if !st.Mode().IsRegular() {
			skip(p, "不是普通文件（"+fileKind(st.Mode())+"），已跳过")
			return
		}
		add(p)
	}
	for _, arg := range args {
		lst, err := os.Lstat(arg)
		if err != nil {
			if matches, _ := filepath.Glob(arg); len(matches) > 0 && strings.ContainsAny(arg, "*?[") {
				sort.Strings(matches)
				for _, m := range matches {
					if l, err := os.Lstat(m); err == nil && !l.IsDir() {
						file(m, l)
					}
				}
				continue
			}
			return nil, fmt.Errorf("%w: %s", ErrNotFound, arg)
		}
		st := lst
		if lst.Mode()&fs.ModeSymlink != 0 {
			if s, err := os.Stat(arg); err == nil {
				st = s
			}
		}
		if !st.IsDir() {
			file(arg, lst)
			continue
		}
		if excluded(st) {
			skip(arg, "是本次作业的输出文件夹，已跳过")
			continue
		}
		var found []string
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == arg {
					return err
				}
				skip(p, "无法读取（"+err.Error()+"），已跳过")
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if p == arg {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				skip(p, "无法读取，已跳过")
				return nil
			}
			if d.IsDir() {
				name := d.Name()
				switch {
				case excluded(info):
					skip(p, "是本次作业的输出文件夹，已跳过")
					return fs.SkipDir
				case name == "__MACOSX":
					skip(p, "macOS 压缩包附带的文件夹（不含报送内容），已忽略")
					return fs.SkipDir
				case strings.HasPrefix(name, "."):
					skip(p, "隐藏文件夹，已忽略")
					return fs.SkipDir
				}
				return nil
			}
			found = append(found, p)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("无法读取文件夹 %s：%w", ShownPath(arg), err)
		}
		sort.Strings(found)
		for _, p := range found {
			if l, err := os.Lstat(p); err == nil {
				file(p, l)
			} else {
				skip(p, "无法读取，已跳过")
			}
		}
	}
	return b, nil
}

// SideFile says why a file of this name is not a submission but a file
// that Office, WPS or an operating system leaves beside one ("" when it
// may be one): these are ignored with a note, never counted as rejected
// submissions.
func SideFile(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "~$"):
		return "Excel/WPS 打开文件时生成的临时锁定文件，已忽略"
	case strings.HasPrefix(name, ".~"):
		return "WPS 打开文件时生成的临时文件，已忽略"
	case strings.HasPrefix(name, "._"):
		return "macOS 生成的附属文件（不含报送内容），已忽略"
	case lower == ".ds_store" || lower == "thumbs.db" || lower == "desktop.ini" || lower == "ehthumbs.db":
		return "操作系统生成的文件，已忽略"
	case strings.HasPrefix(name, "."):
		return "隐藏文件，已忽略"
	case strings.HasPrefix(name, "~") && strings.HasSuffix(lower, ".tmp"):
		return "Office 生成的临时文件，已忽略"
	}
	return ""
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "命名管道"
	case m&fs.ModeSocket != 0:
		return "套接字"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		return "设备"
	case m.IsDir():
		return "文件夹"
	}
	return "特殊文件"
}

// ShownName is a file's name as it may be shown and stored: a name that
// is not valid UTF-8 (GBK bytes from an archive made on Windows) has each
// invalid byte replaced by U+FFFD, so that it prints, goes into JSON and
// into the warehouse, while the file itself is still read by its real
// name.
func ShownName(path string) string { return ShownPath(filepath.Base(path)) }

// ShownPath is ShownName for a whole path.
func ShownPath(path string) string {
	if utf8.ValidString(path) {
		return path
	}
	var b strings.Builder
	for i := 0; i < len(path); {
		r, n := utf8.DecodeRuneInString(path[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(path[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Messages of E_FILE for files that are not workbooks, by extension.
const (
	rdMsgExtXLS     = "这是旧版 Excel 97-2003 工作簿（.xls），不能读取：" + rdMsgSaveAs
	rdMsgExtET      = "这是 WPS 表格格式（.et），不能读取：请在 WPS 中打开后“另存为” Excel 工作簿（.xlsx）格式，再重新校验。"
	rdMsgExtCSV     = "这是 CSV/文本文件，不是按模板填写的工作簿：请把数据复制到模板（ufa template 生成）中，保存为 .xlsx 后重新校验。"
	rdMsgExtArchive = "这是压缩包，不能直接读取：请解压后提交其中的 .xlsx 工作簿。"
	rdMsgNotRegular = "不是普通文件（可能是设备、管道或特殊文件），不予读取：请提交 .xlsx 工作簿文件。"
)

// rdReadableExt tells the extensions read as workbooks: .xlsx and the
// same package as a macro-enabled workbook or a template (.xlsm, .xltx,
// .xltm; macros are never run or read). A name without an extension (the
// portal's stored originals, named by their SHA-256) is read for what it
// holds.
func rdReadableExt(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case "", ".xlsx", ".xlsm", ".xltx", ".xltm":
		return true
	}
	return false
}

// rdCheckKind is the E_FILE message for a path that is not a regular
// file or whose extension is not a workbook's ("" when it may be read).
// It only stats the file: opening a FIFO would block.
func rdCheckKind(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return "" // rdCheckFile says what is wrong
	}
	if st.IsDir() {
		return rdMsgNotXLSX
	}
	if !st.Mode().IsRegular() {
		return rdMsgNotRegular
	}
	if rdReadableExt(path) {
		return ""
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xls", ".xlt":
		return rdMsgExtXLS
	case ".et", ".ett":
		return rdMsgExtET
	case ".csv", ".txt", ".tsv":
		return rdMsgExtCSV
	case ".xlsb":
		return rdMsgXLSB
	case ".ods":
		return rdMsgODS
	case ".numbers":
		return rdMsgNumbers
	case ".zip", ".rar", ".7z":
		return rdMsgExtArchive
	case ".doc", ".docx", ".wps", ".ppt", ".pptx", ".pdf":
		return "这不是 Excel 工作簿（" + strings.ToLower(filepath.Ext(path)) + "），不能读取：请提交按模板填写的 .xlsx 工作簿。"
	}
	return rdMsgNotXLSX
}
