//go:build cgo

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"ufa/ingest"
	"ufa/pipeline"
	"ufa/transform"
)

const ingestUsage = "ingest [--db 数据库] [--key-file 密钥文件 | --demo-key] 文件或文件夹..."

// ingestOptions are what ufa ingest (and the monthly job) load.
type ingestOptions struct {
	DB    string
	Key   transform.KeySource
	Paths []string // files, or folders searched recursively for *.xlsx
	// Exclude are folders skipped with a note (ufa run's --out inside
	// its --inbox: runOutInInbox).
	Exclude []string
	// onLoaded, when set (ufa run), is told what became of each file, with
	// its validation result (nil when the same file was seen before).
	onLoaded func(pipeline.Taken)
}

// runIngest validates and loads workbooks into the warehouse.
//
// Order: all files are checked first, then loaded by 填报日期 (the
// cover's filing date; files whose date cannot be read first), then file
// name, so that of two versions of a city-month in one batch the one
// filed later is current whatever their names.
//
// The key: --key-file, else UFA_KEY_FILE, else --demo-key or
// UFA_DEMO_KEY=1, else <db>.key (created for a new warehouse); see
// package transform.
func runIngest(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "ingest", ingestUsage,
		"校验并导入各市报送的工作簿（文件，或文件夹中的全部文件；不是 .xlsx 的文件记为被拒收并说明怎么办）。",
		"每个文件一行结果：已接收 / 已替换前一版本 / 未变化（相同文件已导入）/ 被拒收：N 个错误；填报日期早于现行版本的不替换现行版本。",
		"有错误的工作簿整本拒收，不导入任何数据；同一市同一月的新版本替换旧版本（旧版本留在历史中）。",
		"一批文件按封面的填报日期、再按文件名的先后导入。身份证号只以省级密钥下的散列保存。",
		"退出码：0 全部接收或未变化；1 有工作簿被拒收；2 参数错误、数据库无法打开或正被占用。",
	)
	wh := addWarehouseFlags(fs, whIngest)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("缺少要导入的文件或文件夹，例如 ufa ingest 收件箱/2026-10")
	}
	if wh.bothKeys() {
		return usagef(errBothKeys)
	}
	opt := ingestOptions{DB: wh.DB(), Paths: fs.Args(), Key: wh.key()}
	sum, err := ingestPaths(ctx, a, opt)
	if errors.Is(err, errNoFiles) {
		return usagef("在 %s 中没有找到 .xlsx 工作簿", strings.Join(opt.Paths, "、"))
	}
	if err != nil {
		return err
	}
	if sum.Rejected > 0 {
		return errFindings
	}
	return nil
}

// ingestPaths checks and loads the files of opt (pipeline.Ingest),
// printing one line per file and a summary to a.stdout. It returns an
// error only when it could not do the work (the warehouse, the key, an
// unreadable folder).
func ingestPaths(ctx context.Context, a *app, opt ingestOptions) (pipeline.IngestSummary, error) {
	var sum pipeline.IngestSummary
	paths, err := collectWorkbooks(opt.Paths, a.stdout, opt.Exclude...)
	if err != nil {
		return sum, err
	}
	w, err := transform.Open(ctx, opt.DB, transform.Options{Book: a.book, Engine: a.engine()})
	if err != nil {
		return sum, err
	}
	defer w.Close()
	if err := ingestUseKey(ctx, a, w, opt); err != nil {
		return sum, err
	}

	bar := ingestBar{w: a.stderr, on: a.stderrTTY}
	sum, err = pipeline.Ingest(ctx, w, paths, pipeline.IngestOptions{
		Book: a.book,
		Log:  a.log,
		Progress: func(p pipeline.Progress) {
			if p.Stage == pipeline.Checking {
				bar.show("校验", p.Done, p.Total, p.Path)
			} else {
				bar.clear()
				bar.show("导入", p.Done, p.Total, p.Path)
			}
		},
		Taken: func(t pipeline.Taken) {
			bar.clear()
			if opt.onLoaded != nil {
				opt.onLoaded(t)
			}
			fmt.Fprintln(a.stdout, ingestLine(ingest.ShownName(t.Path), t.Loaded))
			for _, f := range t.Loaded.CrossCity {
				fmt.Fprintf(a.stdout, "    %s %s 第%d行 %s列：%s\n", f.Code, f.Sheet, f.Row, f.Column, f.Message)
			}
		},
	})
	bar.clear()
	var ie *pipeline.InterruptedError
	switch {
	case errors.As(err, &ie) && ie.Checking:
		return sum, fmt.Errorf("已中断，尚未导入任何文件: %w", ie.Err)
	case errors.As(err, &ie):
		return sum, fmt.Errorf("已中断：之前的 %d 个文件已处理完毕，其余未导入，可再次运行 ufa ingest: %w", ie.Taken, ie.Err)
	case err != nil:
		return sum, err
	}
	fmt.Fprintf(a.stdout, "\n共 %d 个文件：已接收 %d 个（其中替换前一版本 %d 个）", sum.Files, sum.Accepted, sum.Replaced)
	if sum.Older > 0 {
		fmt.Fprintf(a.stdout, "，较早的版本 %d 个（已记录，未替换现行版本）", sum.Older)
	}
	fmt.Fprintf(a.stdout, "，未变化 %d 个，被拒收 %d 个", sum.Unchanged, sum.Rejected)
	if sum.CrossCity > 0 {
		fmt.Fprintf(a.stdout, "；跨市重复提示 %d 条", sum.CrossCity)
	}
	fmt.Fprintf(a.stdout, "。数据库：%s\n", opt.DB)
	if sum.Rejected > 0 {
		fmt.Fprintln(a.stdout, "被拒收的工作簿没有导入任何数据：请用 ufa validate <文件> 查看错误（--annotate 可标出出错的单元格），改正后重新报送。")
	}
	return sum, nil
}

// ingestUseKey resolves the province key and checks it against the
// warehouse, telling the user when a key was created or the demo key is
// used.
func ingestUseKey(ctx context.Context, a *app, w *transform.Warehouse, opt ingestOptions) error {
	fp, err := w.KeyFingerprint(ctx)
	if err != nil {
		return err
	}
	key, err := transform.ResolveKey(opt.DB, opt.Key, fp == "")
	if err != nil {
		return err
	}
	switch {
	case key.Demo:
		fmt.Fprintln(a.stdout, "注意：正在使用公开的演示密钥（人人可知），身份证号的散列因此不保密。仅供演示，切勿用于真实数据。")
	case key.Created:
		fmt.Fprintf(a.stdout, "已为新数据库生成省级密钥文件 %s（仅本用户可读）。\n"+
			"请妥善保管并备份此文件：数据库只保存身份证号在此密钥下的散列，丢失密钥将无法再跨月份、跨市识别同一人；密钥泄露则散列可被还原为身份证号。\n"+
			"以后导入时 ufa 会自动使用数据库旁的这个文件，也可用 --key-file 或环境变量 UFA_KEY_FILE 指定。\n", key.Path)
	}
	return w.UseKey(ctx, key.Bytes)
}

// ingestLine is the one line a file gets.
func ingestLine(name string, l transform.Loaded) string {
	where := ""
	if l.CityName != "" || l.Month != "" {
		where = "（" + strings.TrimSpace(l.CityName+" "+l.Month) + "）"
	}
	var what string
	switch {
	case l.Outcome == transform.Unchanged && l.SameAsRejected:
		what = fmt.Sprintf("未变化（相同文件此前被拒收：%d 个错误，未导入）", l.SameAsErrors)
	case l.Outcome == transform.Unchanged:
		what = "未变化（相同文件已导入）"
	case l.Outcome == transform.Rejected:
		what = fmt.Sprintf("被拒收：%d 个错误", l.Errors)
	case l.Older:
		what = fmt.Sprintf("通过校验，但填报日期 %s 早于现行版本 %s 的 %s，未替换现行版本（已记入报送历史）；如确应以此版为准，请把封面的填报日期改为今天后重新报送",
			l.FiledOn.Format("2006-01-02"), l.CurrentFile, l.CurrentFiledOn.Format("2006-01-02"))
	case l.Replaced != 0:
		what = fmt.Sprintf("已替换前一版本（%s）", l.ReplacedFile)
	default:
		what = "已接收"
	}
	if l.Outcome != transform.Unchanged && l.Warnings > 0 {
		what += fmt.Sprintf("，%d 个警告", l.Warnings)
	}
	return fmt.Sprintf("%s%s：%s", name, where, what)
}

// ingestBar draws a one-line progress bar on a terminal's stderr.
type ingestBar struct {
	w     io.Writer
	on    bool
	drawn bool
}

func (b *ingestBar) show(stage string, i, n int, path string) {
	if !b.on {
		return
	}
	const width = 24
	done := width * i / max(n, 1)
	fmt.Fprintf(b.w, "\r\033[K%s [%s%s] %d/%d %s", stage, strings.Repeat("█", done), strings.Repeat("░", width-done), i+1, n, filepath.Base(path))
	b.drawn = true
}

func (b *ingestBar) clear() {
	if b.on && b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
		b.drawn = false
	}
}
