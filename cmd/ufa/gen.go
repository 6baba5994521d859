package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"ufa/internal/gen"
	"ufa/internal/spec"
)

// cityList is a repeatable --city flag that also takes a comma-separated
// list (--city 沈阳市,大连 --city 210300).
type cityList []string

func (c *cityList) String() string { return strings.Join(*c, ",") }

func (c *cityList) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*c = append(*c, p)
		}
	}
	return nil
}

func runGen(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "gen", "gen --out 文件夹 [--from YYYY-MM] [--to YYYY-MM] [--seed 整数] [--scale 倍数] [--faults] [--city 市]...")
	out := fs.String("out", "", "输出目录（必填），按月份建子目录 YYYY-MM/")
	from := fs.String("from", "", "开始月份 YYYY-MM；省略时为 "+fmt.Sprint(gen.DefaultYear)+"-01（只给 --to 时为其所在年的1月）")
	to := fs.String("to", "", "结束月份 YYYY-MM；省略时为开始月份所在年的12月")
	seed := fs.Int64("seed", 1, "随机种子；相同种子生成逐字节相同的文件")
	scale := fs.Float64("scale", 1, "规模倍数：1 约为全省28,900个社会组织；0.01 适合测试；--city 沈阳市 --scale 17.3 约10万个组织")
	faults := fs.Bool("faults", false, "另外生成有问题的工作簿（faults/<代码>.xlsx，每种问题一个）以及初报被拒、更正重报、迟报和漏报")
	var cities cityList
	fs.Var(&cities, "city", "只生成这些城市（名称或代码，可重复或用逗号分隔）；省略时为全部14个市")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("多余的参数：%s（gen 不接受位置参数）", strings.Join(fs.Args(), " "))
	}
	if *out == "" {
		return usagef("请用 --out 指定输出目录")
	}
	if err := checkOutput(output{flag: "--out", path: *out, dir: true}, guarded{db: spec.DefaultDB}); err != nil {
		return err
	}
	opt := gen.Options{Out: *out, From: *from, To: *to, Seed: *seed, Scale: *scale, Faults: *faults, Cities: cities}
	if *scale <= 0 || *scale > gen.MaxScale {
		return usagef("--scale %g 超出范围，应大于0且不超过 %d", *scale, gen.MaxScale)
	}
	start := time.Now()
	sum, err := gen.Generate(ctx, a.book, opt, a.log)
	if errors.Is(err, gen.ErrOptions) {
		return usagef("%s", strings.TrimPrefix(err.Error(), gen.ErrOptions.Error()+": "))
	}
	if err != nil {
		if isDiskFull(err) {
			return diskError(*out, err)
		}
		return fmt.Errorf("生成失败：%w", err)
	}
	printGenSummary(a, sum, time.Since(start))
	return nil
}

func printGenSummary(a *app, sum *gen.Summary, took time.Duration) {
	w := a.stdout
	months := map[string]bool{}
	cities := map[string]bool{}
	for _, f := range sum.Files {
		if f.Kind != gen.KindFault {
			months[f.Month] = true
			cities[f.City] = true
		}
	}
	regular := sum.Count(gen.KindRegular) + sum.Count(gen.KindLate)
	fmt.Fprintf(w, "已在 %s 生成 %s 至 %s 的报送工作簿：%d 个市 × %d 个月，常规报送 %d 个",
		sum.Out, sum.From, sum.To, len(cities), len(months), regular)
	if n := sum.Count(gen.KindLate); n > 0 {
		fmt.Fprintf(w, "（其中迟报 %d 个）", n)
	}
	fmt.Fprintln(w)
	if n := sum.Count(gen.KindRejected); n > 0 {
		fmt.Fprintf(w, "初报被拒 %d 个（*_初报.xlsx），", n)
	}
	if n := sum.Count(gen.KindCorrection); n > 0 {
		fmt.Fprintf(w, "更正重报 %d 个（*_更正.xlsx），", n)
	}
	if len(sum.Skipped) > 0 {
		fmt.Fprintf(w, "漏报 %s，", strings.Join(sum.Skipped, "、"))
	}
	if n := sum.Count(gen.KindFault); n > 0 {
		fmt.Fprintf(w, "问题样例 %d 个（faults/<代码>.xlsx）\n", n)
	}
	fmt.Fprintf(w, "合计行数：社会组织 %d，代表人士 %d，联系活动 %d，活动参加人员 %d，建言献策 %d，提名举荐 %d；用时 %.1f 秒\n",
		sum.Rows(spec.SheetOrganizations), sum.Rows(spec.SheetRepresentatives), sum.Rows(spec.SheetActivities),
		sum.Rows(spec.SheetParticipants), sum.Rows(spec.SheetSuggestions), sum.Rows(spec.SheetNominations), took.Seconds())
}
