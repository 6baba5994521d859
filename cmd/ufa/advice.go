//go:build cgo

package main

import (
	"errors"
	"fmt"
	"strings"

	"ufa/dashboards"
	"ufa/metrics"
	"ufa/queries"
	"ufa/transform"
)

// The libraries' errors say what went wrong, and what to do in words any
// caller (the portal too) can use; the command line's own words (which
// command to run, which flag to give) are added here, where the
// commands and flags are. advise rewrites the final message: each typed
// error's text is replaced by the command line's wording of it, wherever
// wrapping put it.
func advise(err error, msg string) string {
	for _, r := range adviceFor(err) {
		msg = strings.Replace(msg, r[0], r[1], 1)
	}
	return msg
}

// adviceFor lists (library text, command-line text) pairs for the typed
// errors in err's tree.
func adviceFor(err error) [][2]string {
	var out [][2]string
	var nf *transform.NotFoundError
	if errors.As(err, &nf) {
		out = append(out, [2]string{nf.Error(), nf.Error() + "：请先用 ufa ingest 导入工作簿，或用 --db 指定数据库文件"})
	}
	var de *transform.DamagedError
	if errors.As(err, &de) {
		out = append(out, [2]string{de.Error(), fmt.Sprintf("无法打开数据库 %s：%v。请用 --db 指定正确的数据库，或从备份恢复（复制备份的数据库及其 .key 密钥文件）；"+
			"没有备份时，把这个文件移到别处，再用 ufa ingest 重新导入各月的工作簿。原文件未被改动: %v", de.Path, transform.ErrDamaged, de.Err)})
	}
	var ke *transform.KeyError
	if errors.As(err, &ke) {
		if ke.Kind == transform.ErrKeyMismatch {
			out = append(out, [2]string{ke.Error(), ke.Error() + "请用 --key-file 指定原来的密钥文件"})
		} else {
			out = append(out, [2]string{ke.Error(), ke.Error() + fmt.Sprintf("请用 --key-file 指定建库时生成的密钥文件（默认是数据库旁的 %s）", ke.Default)})
		}
	}
	if errors.Is(err, transform.ErrTwoKeys) {
		out = append(out, [2]string{transform.ErrTwoKeys.Error(), errBothKeys})
	}
	var nm *dashboards.NoMetricsError
	if errors.As(err, &nm) {
		out = append(out, [2]string{fmt.Sprintf("%s 的指标尚未计算，无法生成看板（", nm.Month),
			fmt.Sprintf("%s 的指标尚未计算，无法生成看板：请先运行 ufa metrics --month %s（", nm.Month, nm.Month)})
	}
	var fe *queries.FolderError
	if errors.As(err, &fe) {
		out = append(out, [2]string{fe.Error(), fe.Error() + "（请检查 -o 给出的目录是否存在、是否可写）"})
	}
	var ui *metrics.UnknownIndicatorError
	if errors.As(err, &ui) {
		out = append(out, [2]string{ui.Error(), ui.Error() + "：可用的指标编号见 ufa metrics --list"})
	}
	var nc *metrics.NotComputedError
	if errors.As(err, &nc) {
		if nc.For != "" {
			out = append(out, [2]string{nc.Error(), nc.Error() + fmt.Sprintf("：%s需要先运行 ufa metrics --month %s", nc.For, nc.Month)})
		} else {
			out = append(out, [2]string{nc.Error(), nc.Error() + fmt.Sprintf("：请先运行 ufa metrics --month %s", nc.Month)})
		}
	}
	return out
}
