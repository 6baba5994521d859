package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// errNoFiles: the paths hold no workbook.
var errNoFiles = errors.New("no xlsx files")

// collectWorkbooks turns the arguments into workbook paths: files as
// given, folders (searched recursively) into their .xlsx files sorted by
// name (Excel's ~$ lock files skipped), wildcard patterns into their
// matches, since Windows shells do not expand them; repeats dropped.
// errNoFiles when they hold no workbook at all (validate refuses that;
// the monthly job carries on with an empty inbox).
func collectWorkbooks(args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = p
		}
		if !seen[abs] {
			seen[abs] = true
			out = append(out, p)
		}
	}
	for _, arg := range args {
		st, err := os.Stat(arg)
		if err != nil {
			if matches, _ := filepath.Glob(arg); len(matches) > 0 && strings.ContainsAny(arg, "*?[") {
				sort.Strings(matches)
				for _, m := range matches {
					add(m)
				}
				continue
			}
			return nil, usagef("找不到 %s：请检查文件的路径和名称", arg)
		}
		if !st.IsDir() {
			add(arg)
			continue
		}
		var found []string
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if !d.IsDir() && strings.EqualFold(filepath.Ext(name), ".xlsx") && !strings.HasPrefix(name, "~$") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, usagef("无法读取文件夹 %s：%v", arg, err)
		}
		sort.Strings(found)
		for _, p := range found {
			add(p)
		}
	}
	if len(out) == 0 {
		return nil, errNoFiles
	}
	return out, nil
}
