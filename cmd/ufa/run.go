//go:build cgo

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"ufa/ingest"
	"ufa/metrics"
	"ufa/pipeline"
	"ufa/transform"
)

const runUsage = "run [--db 数据库] [--key-file 密钥文件 | --demo-key] --month YYYY-MM --inbox 收件箱 --out 输出文件夹 [--scheme 方案.yaml]"

// runRun is the monthly job of the provincial office (cli.md): ingest the
// inbox, compute the month, render the dashboards and the report, and say
// in a few Chinese lines what happened and where the results are.
//
// Choices where cli.md is silent:
//   - The inbox is ingested exactly as ufa ingest does it (the same code:
//     every .xlsx under it, loaded by 填报日期 then name, no --month
//     check), so a late correction of an earlier month found in the inbox
//     is accepted too; the summary lists such files apart.
//   - Months computed: the month itself (with --scheme, else the built-in
//     scheme, as ufa metrics does); every earlier month for which this run
//     recorded an accepted or rejected workbook (its stored values no
//     longer match the warehouse), with the scheme it was last computed
//     with; and every other month of the dashboards' 12-month trend that
//     is missing (a warehouse filled with ufa ingest alone; with the
//     month's scheme) or stale (submissions loaded since it was computed;
//     with its own scheme). Months after the month are left to their own
//     run.
//   - Rejected workbooks get their annotated copy (ufa validate
//     --annotate) in OUT/rejected/<name>_校验.xlsx. A file rejected before
//     and sent again unchanged is reported as unchanged, like ufa ingest
//     does (exit 0 for it), and its copy is written if it is not there.
//   - Late: the city's first accepted workbook for the month was filed
//     after the scheme's deadline (metrics' on_time = 0). Missing: no
//     accepted workbook for the month, whether or not one was rejected.
//   - Exit 1 when this run rejected a workbook of any month.
func runRun(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "run", runUsage,
		"每月的考核作业：导入收件箱中的工作簿，计算该月指标、得分和排名，生成看板和 Excel 考核报告，",
		"最后汇总哪些市已接收、被拒收（错误数和标注副本的位置）、未变化、未报送、迟报，以及结果在哪里。",
		"退出码：0 全部接收或未变化；1 有工作簿被拒收；2 参数错误、数据库无法打开或正被占用、输出无法写出。",
	)
	wh := addWarehouseFlags(fs, whIngest)
	month := fs.String("month", "", "考核月份 YYYY-MM（必填）")
	inbox := fs.String("inbox", "", "收件箱文件夹（必填）：各市报送的工作簿，可含子文件夹")
	out := fs.String("out", "", "输出文件夹（必填）：看板 dashboards/、被拒收工作簿的标注副本 rejected/、考核报告 <月份>_考核报告.xlsx")
	schemeFile := addSchemeFlag(fs, "ufa metrics --show-scheme")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("多余的参数 %q（收件箱用 --inbox 给出）", fs.Arg(0))
	}
	switch {
	case *month == "":
		return usagef("缺少 --month YYYY-MM：请指定考核月份")
	case *inbox == "":
		return usagef("缺少 --inbox 收件箱文件夹，例如 --inbox 收件箱/%s", *month)
	case *out == "":
		return usagef("缺少 --out 输出文件夹，例如 --out 结果/%s", *month)
	case wh.bothKeys():
		return usagef(errBothKeys)
	}
	if _, err := metrics.ParseMonth(*month); err != nil {
		return usagef("%v", err)
	}
	if err := checkOutput(output{flag: "--out", path: *out, dir: true}, guarded{db: wh.DB(), keyFile: wh.KeyFile(), inputs: []string{*inbox, schemeFile.File()}}); err != nil {
		return err
	}
	opt := runOptions{JobOptions: pipeline.JobOptions{DB: wh.DB(), Month: *month, Inbox: *inbox, Out: *out},
		Key: wh.key()}
	var err error
	if opt.Scheme, err = schemeFile.load(); err != nil {
		return err
	}
	res, err := monthlyJob(ctx, a, opt)
	if err != nil {
		return err
	}
	writeRunSummary(a.stdout, res)
	if res.Rejected() > 0 {
		return errFindings
	}
	return nil
}

// runOptions are the monthly job's inputs: the pipeline's, and the key.
type runOptions struct {
	pipeline.JobOptions
	Key transform.KeySource
}

// monthlyJob runs pipeline.MonthlyJob, ingesting the inbox as ufa ingest
// does and writing its lines to a.stdout (the summary is
// writeRunSummary's).
func monthlyJob(ctx context.Context, a *app, opt runOptions) (*pipeline.JobResult, error) {
	jo := opt.JobOptions
	jo.Book, jo.Log, jo.Engine = a.book, a.log, a.engine()
	// The job's own outputs are never taken as inputs.
	exclude, err := runOutInInbox(opt.Inbox, opt.Out)
	if err != nil {
		return nil, err
	}
	jo.Ingest = func(ctx context.Context, taken func(pipeline.Taken)) error {
		fmt.Fprintf(a.stdout, "【导入】收件箱 %s\n", opt.Inbox)
		iopt := ingestOptions{DB: opt.DB, Key: opt.Key, Paths: []string{opt.Inbox}, Exclude: exclude, onLoaded: taken}
		if _, err := ingestPaths(ctx, a, iopt); errors.Is(err, errNoFiles) {
			fmt.Fprintln(a.stdout, "收件箱中没有 .xlsx 工作簿：本月没有新的报送，仍按数据库中已有的数据计算。")
		} else if err != nil {
			return err
		}
		return nil
	}
	res, err := pipeline.MonthlyJob(ctx, jo)
	var ie *pipeline.InputError
	switch {
	case errors.As(err, &ie) && ie.Kind == pipeline.InboxNotDir:
		return nil, usagef("%s：请用 --inbox 给出存放各市工作簿的文件夹", ie.Msg)
	case errors.As(err, &ie):
		return nil, usagef("%s", ie.Msg)
	}
	return res, err
}

// writeRunSummary prints the month's summary for people.
func writeRunSummary(w io.Writer, r *pipeline.JobResult) {
	var accepted, replaced, rejected, unchanged, other, sameCities, older []string
	same := 0
	// A city-month accepted after a rejected attempt of the same run.
	fixed := map[string]int{}
	for i, f := range r.Files {
		if f.Loaded.Outcome == transform.Accepted {
			fixed[f.Loaded.CityCode+" "+f.Loaded.Month] = i
		}
	}
	for i, f := range r.Files {
		l := f.Loaded
		name := ingest.ShownName(f.Path)
		if l.Month != r.Month && l.Outcome != transform.Rejected && !l.SameAsRejected {
			// A workbook of another month (a late correction, an early
			// one): listed apart.
			other = append(other, ingestLine(name, l))
			continue
		}
		switch {
		case l.Outcome == transform.Rejected:
			later := ""
			if j, ok := fixed[l.CityCode+" "+l.Month]; ok && j > i && l.CityCode != "" {
				later = "其后报送的 " + ingest.ShownName(r.Files[j].Path) + " 已接收"
			}
			rejected = append(rejected, runRejectedLine(name, f, later))
		case l.SameAsRejected:
			unchanged = append(unchanged, runRejectedLine(name, f, "与此前被拒收的文件相同，仍未导入"))
		case l.Older:
			older = append(older, ingestLine(name, l))
		case l.Outcome == transform.Unchanged:
			// One line for all: the same files as before, nothing to do.
			same++
			if l.CityName != "" {
				sameCities = appendOnce(sameCities, l.CityName)
			} else {
				sameCities = append(sameCities, name)
			}
		default:
			accepted = appendOnce(accepted, l.CityName)
			if l.Replaced != 0 {
				replaced = append(replaced, fmt.Sprintf("%s（替换 %s）", l.CityName, l.ReplacedFile))
			}
		}
	}
	order := map[string]int{}
	for i, c := range r.Cities {
		order[c] = i
	}
	sort.SliceStable(accepted, func(i, j int) bool { return order[accepted[i]] < order[accepted[j]] })
	sort.SliceStable(sameCities, func(i, j int) bool { return order[sameCities[i]] < order[sameCities[j]] })
	list := func(xs []string) string {
		if len(xs) == 0 {
			return "无"
		}
		return strings.Join(xs, "、")
	}
	block := func(title string, lines []string) {
		if len(lines) == 0 {
			fmt.Fprintf(w, "%s：无\n", title)
			return
		}
		fmt.Fprintf(w, "%s：\n", title)
		for _, l := range lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	fmt.Fprintf(w, "\n【%s 月度考核汇总】\n", r.Month)
	fmt.Fprintf(w, "已接收（%d 个市）：%s\n", len(accepted), list(accepted))
	if len(replaced) > 0 {
		fmt.Fprintf(w, "  其中替换了此前的版本：%s\n", strings.Join(replaced, "、"))
	}
	if len(r.Before) > 0 {
		fmt.Fprintf(w, "此前已接收（本次没有新文件）：%s\n", list(r.Before))
	}
	if len(older) > 0 {
		block("较早的版本（已记录，未替换现行版本）", older)
	}
	block(fmt.Sprintf("被拒收（%d 个文件）", len(rejected)), rejected)
	if same > 0 {
		unchanged = append([]string{fmt.Sprintf("此前已导入的相同文件 %d 个：%s", same, list(sameCities))}, unchanged...)
	}
	block(fmt.Sprintf("未变化（%d 个文件）", same+len(unchanged)-min(same, 1)), unchanged)
	fmt.Fprintf(w, "未报送（%d 个市，本月没有被接收的工作簿）：%s\n", len(r.Missing), list(r.Missing))
	var late []string
	for _, c := range r.Late {
		s := c.Name
		if c.FiledOn != "" {
			s += "（填报日期 " + c.FiledOn + "）"
		}
		late = append(late, s)
	}
	fmt.Fprintf(w, "迟报（%d 个市，填报日期晚于 %s）：%s\n", len(late), r.Deadline.Format("2006-01-02"), list(late))
	if len(other) > 0 {
		block("其他月份的报送", other)
	}
	computed := make([]string, 0, len(r.Computed))
	for _, m := range r.Computed {
		if why := r.Why[m]; why != "" {
			m += "（" + why + "）"
		}
		computed = append(computed, m)
	}
	fmt.Fprintf(w, "已计算指标：%s\n", strings.Join(computed, "、"))
	fmt.Fprintln(w, "结果：")
	fmt.Fprintf(w, "  看板首页：%s\n", r.Dashboards)
	if r.Report != "" {
		fmt.Fprintf(w, "  考核报告：%s\n", r.Report)
	}
	fmt.Fprintf(w, "  数据库：  %s\n", r.DB)
	if len(rejected) > 0 {
		fmt.Fprintln(w, "被拒收的工作簿没有导入任何数据：请把标注副本发给该市，改正标红的单元格后重新报送。")
	}
}

func runRejectedLine(name string, f pipeline.JobFile, note string) string {
	l := f.Loaded
	where := ""
	if l.CityName != "" || l.Month != "" {
		where = "（" + strings.TrimSpace(l.CityName+" "+l.Month) + "）"
	}
	errs := l.Errors
	if l.SameAsRejected {
		errs = l.SameAsErrors
	}
	line := fmt.Sprintf("%s%s：%d 个错误", name, where, errs)
	if note != "" {
		line += "，" + note
	}
	if f.Annotated != "" {
		line += "；标注副本 " + f.Annotated
	} else if f.Note != "" {
		line += "；" + f.Note
	}
	return line
}

func appendOnce(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}
