//go:build cgo

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/pipeline"
	"ufa/portal"
	"ufa/transform"
)

const demoUsage = "demo [--dir 文件夹] [--scale 倍数] [--seed 整数]"

// runDemo shows the whole pipeline on a fresh machine: a year of
// generated workbooks (with faults and resubmissions), the monthly job for
// every month in order, and where to look.
//
// Choices where cli.md is silent:
//   - Idempotent by starting over: the demo's warehouse, inbox and results
//     in DIR are removed and made again (the generator is deterministic,
//     so a second run gives the same results), rather than relying on
//     "unchanged", which would add attempts to the submission history the
//     dashboards show. A non-empty DIR that the demo did not make is
//     refused (exit 2), so --dir cannot clear someone's folder.
//   - The warehouse uses the fixed public demo key, and says so.
//   - Each month's job writes DIR/out/<month>/ (dashboards, report,
//     rejected/ with annotated copies) and its full output to
//     DIR/out/<month>/处理记录.txt; the screen gets one line per month.
//   - faults/ holds single-fault samples, not submissions: they are not
//     ingested but validated with annotated copies into
//     DIR/faults_annotated/, as examples for the cities.
//   - Rejected workbooks are part of the story: the demo exits 0 when
//     every step worked, even though months had rejections.
//   - The demo warehouse gets the portal's demo accounts (office, leader,
//     city<code> for each city) with the public portal.DemoPassword, and
//     the closing lines say how to start the portal on it (ufa serve
//     --demo-key): the portal is part of the tour.
func runDemo(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "demo", demoUsage,
		"在一台新机器上演示全流程，无需其他准备：生成全省14个市一年的模拟报送工作簿（含有错误的初报、",
		"更正重报、迟报和漏报），用公开的演示密钥逐月运行考核作业（ufa run），",
		"最后给出看板首页、考核报告、被拒收工作簿的标注副本和报送模板的位置。",
	)
	dir := fs.String("dir", "demo", "演示文件夹（不存在时新建；再次运行时其中的演示数据会重新生成）")
	scale := fs.Float64("scale", 1, "模拟数据的规模倍数：1 为全省真实规模（约28,900个社会组织）；0.01 适合测试")
	seed := fs.Int64("seed", 1, "随机种子；相同种子得到相同的演示数据")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("多余的参数 %q（演示文件夹用 --dir 给出）", fs.Arg(0))
	}
	if *scale <= 0 || *scale > gen.MaxScale {
		return usagef("--scale %g 超出范围，应大于0且不超过 %d", *scale, gen.MaxScale)
	}
	start := time.Now()
	var ie *pipeline.InputError
	if err := pipeline.DemoPrepare(*dir); errors.As(err, &ie) && ie.Kind == pipeline.ForeignFolder {
		return usagef("%s：请用 --dir 指定一个新的或空的文件夹", ie.Msg)
	} else if errors.As(err, &ie) {
		return usagef("%s", ie.Msg)
	} else if err != nil {
		return err
	}
	db := filepath.Join(*dir, spec.DefaultDB)
	inbox := filepath.Join(*dir, "inbox")

	fmt.Fprintln(a.stdout, "注意：本演示使用公开的演示密钥（人人可知），身份证号的散列因此不保密；演示数据库切勿用于真实数据。")
	fmt.Fprintln(a.stdout, "\n【1/4】生成模拟报送工作簿")
	t := time.Now()
	sum, err := gen.Generate(ctx, a.book, gen.Options{Out: inbox, Seed: *seed, Scale: *scale, Faults: true}, a.log)
	if err != nil {
		return fmt.Errorf("生成演示数据失败：%w", err)
	}
	printGenSummary(a, sum, time.Since(t))

	fmt.Fprintln(a.stdout, "\n【2/4】报送模板")
	tmpl := filepath.Join(*dir, "报送模板.xlsx")
	data, err := pipeline.TemplateBytes(a.book)
	if err != nil {
		return err
	}
	if err := writeTemplateFile(tmpl, data); err != nil {
		return fmt.Errorf("无法写出模板 %s：%w；请检查目录是否存在、是否有写权限，文件是否正在 Excel/WPS 中打开", tmpl, err)
	}
	fmt.Fprintf(a.stdout, "空白报送模板：%s\n", tmpl)

	fmt.Fprintln(a.stdout, "\n【3/4】校验问题样例（每个样例恰有一种问题，不导入）")
	faultsOut := filepath.Join(*dir, "faults_annotated")
	n, err := demoFaults(ctx, a, filepath.Join(inbox, "faults"), faultsOut)
	if err != nil {
		return err
	}
	samples := sum.Count(gen.KindFault)
	fmt.Fprintf(a.stdout, "%d 个问题样例在 %s，其中 %d 个的标注副本在 %s（无法打开的文件没有副本），校验报告：%s\n",
		samples, filepath.Join(inbox, "faults"), n, faultsOut, filepath.Join(faultsOut, "校验报告.txt"))

	fmt.Fprintln(a.stdout, "\n【4/4】逐月运行考核作业（ufa run）")
	var last *pipeline.JobResult
	var annotated []string
	for _, m := range pipeline.DemoMonths(sum) {
		res, err := demoMonth(ctx, a, runOptions{Key: transform.KeySource{Demo: true}, JobOptions: pipeline.JobOptions{DB: db, Month: m,
			Inbox: filepath.Join(inbox, m), Out: filepath.Join(*dir, "out", m)}})
		if err != nil {
			return fmt.Errorf("%s 的考核作业失败（详见 %s）：%w", m, filepath.Join(*dir, "out", m, "处理记录.txt"), err)
		}
		for _, f := range res.Files {
			if f.Annotated != "" {
				annotated = append(annotated, f.Annotated)
			}
		}
		last = res
	}
	if last == nil {
		return fmt.Errorf("演示数据中没有月份")
	}

	accounts, err := demoAccounts(ctx, a, db)
	if err != nil {
		return fmt.Errorf("建立门户的演示账户: %w", err)
	}

	fmt.Fprintf(a.stdout, "\n演示完成，用时 %.0f 秒。结果：\n", time.Since(start).Seconds())
	fmt.Fprintf(a.stdout, "  看板首页（%s）：%s\n", last.Month, last.Dashboards)
	if last.Report != "" {
		fmt.Fprintf(a.stdout, "  考核报告（%s）：%s\n", last.Month, last.Report)
	}
	fmt.Fprintf(a.stdout, "  各月的看板、考核报告和处理记录：%s\n", filepath.Join(*dir, "out", "<月份>"))
	fmt.Fprintf(a.stdout, "  被拒收工作簿的标注副本（%d 个）：\n", len(annotated))
	for _, p := range annotated {
		fmt.Fprintf(a.stdout, "    %s\n", p)
	}
	fmt.Fprintf(a.stdout, "  问题样例的标注副本：%s\n", faultsOut)
	fmt.Fprintf(a.stdout, "  空白报送模板：%s\n", tmpl)
	fmt.Fprintf(a.stdout, "  数据库：%s（演示密钥）\n", db)
	fmt.Fprintf(a.stdout, "接着可以试试：%s query --db %s --list\n", selfCommand(), db)
	fmt.Fprintf(a.stdout, "\n考核门户（演示）：\n  启动：%s serve --db %s --demo-key\n  然后用浏览器打开 http://127.0.0.1:8080/ ，按 Ctrl+C 停止。\n", selfCommand(), db)
	fmt.Fprintf(a.stdout, "  演示账户（密码都是 %s，人人可知，仅供演示）：\n", portal.DemoPassword)
	for _, ac := range accounts {
		fmt.Fprintf(a.stdout, "    %-12s %s\n", ac.Name, ac.What)
	}
	return nil
}

type demoAccount struct{ Name, What string }

// demoAccounts creates the portal's demo accounts in the demo warehouse
// and lists every one, with its role (and city).
func demoAccounts(ctx context.Context, a *app, db string) ([]demoAccount, error) {
	w, err := transform.Open(ctx, db, transform.Options{Book: a.book})
	if err != nil {
		return nil, err
	}
	defer w.Close()
	accts := &portal.Accounts{DB: w.DB(), Book: a.book}
	if _, err := accts.AddDemo(ctx); err != nil {
		return nil, err
	}
	out := []demoAccount{{"office", portal.RoleName(portal.Office) + "（报送看板、锁定月份、报告、备份、账户）"},
		{"leader", portal.RoleName(portal.Leader) + "（看板和报告）"}}
	for _, c := range a.book.Cities {
		out = append(out, demoAccount{"city" + c.Code, portal.RoleName(portal.City) + "：" + c.Name})
	}
	return out, w.Close()
}

// demoFaults validates the single-fault samples with annotated copies
// into out, the report into out/校验报告.txt.
func demoFaults(ctx context.Context, a *app, faults, out string) (int, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, usagef("无法创建 %s：%v", out, err)
	}
	logf, err := os.Create(filepath.Join(out, "校验报告.txt"))
	if err != nil {
		return 0, usagef("无法写出 %s：%v", filepath.Join(out, "校验报告.txt"), err)
	}
	defer logf.Close()
	files, err := collectWorkbooks([]string{faults}, io.Discard)
	if err != nil {
		return 0, fmt.Errorf("校验问题样例: %w", err)
	}
	n, err := pipeline.ValidateSamples(ctx, a.book, files, out, logf)
	if err != nil {
		return 0, fmt.Errorf("校验问题样例: %w", err)
	}
	return n, nil
}

// demoMonth runs the monthly job for one month, its full output into
// OUT/处理记录.txt, and prints one line for it.
func demoMonth(ctx context.Context, a *app, opt runOptions) (*pipeline.JobResult, error) {
	if err := os.MkdirAll(opt.Out, 0o755); err != nil {
		return nil, usagef("无法创建 %s：%v", opt.Out, err)
	}
	logPath := filepath.Join(opt.Out, "处理记录.txt")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, usagef("无法写出 %s：%v", logPath, err)
	}
	defer logf.Close()
	la := *a
	la.stdout = logf
	t := time.Now()
	res, err := monthlyJob(ctx, &la, opt)
	if err != nil {
		fmt.Fprintf(logf, "ufa: %v\n", err)
		return nil, err
	}
	writeRunSummary(logf, res)
	accepted, replaced := 0, 0
	for _, f := range res.Files {
		if f.Loaded.Month == opt.Month && f.Loaded.Outcome == transform.Accepted {
			accepted++
			if f.Loaded.Replaced != 0 {
				replaced++
			}
		}
	}
	fmt.Fprintf(a.stdout, "%s：接收 %d 个文件（其中更正重报 %d 个），拒收 %d 个，未报送 %d 个市，迟报 %d 个市；%.0f 秒 → %s\n",
		opt.Month, accepted, replaced, res.Rejected(), len(res.Missing), len(res.Late), time.Since(t).Seconds(), logPath)
	return res, nil
}
