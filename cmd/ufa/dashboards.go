//go:build cgo

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ufa/dashboards"
	"ufa/metrics"
	"ufa/transform"
)

// openCurrent opens the warehouse for a command that shows stored figures
// of months (the last one is the month asked for): read-only when their
// indicators are current, else read-write after metrics.EnsureWith has
// computed the missing and stale ones (months never computed with the
// scheme of the last month, as ufa run does), so that no page or report
// shows a figure of workbooks that are no longer current. The months
// recomputed are named on stderr.
func openCurrent(ctx context.Context, a *app, db string, months ...string) (*transform.Warehouse, error) {
	w, err := openWarehouse(ctx, a, db, true)
	if err != nil {
		return nil, err
	}
	stale, err := metrics.Stale(ctx, w.DB(), months...)
	if err != nil || len(stale) == 0 {
		if err != nil {
			w.Close()
			return nil, err
		}
		return w, nil
	}
	w.Close()
	if w, err = openWarehouse(ctx, a, db, false); err != nil {
		return nil, err
	}
	var scheme *metrics.Scheme
	if len(months) > 0 {
		if run, err := metrics.LoadRun(ctx, w.DB(), months[len(months)-1]); err == nil {
			scheme = run.Scheme
		}
	}
	done, err := metrics.EnsureWith(ctx, w.DB(), scheme, months...)
	if err != nil {
		w.Close()
		return nil, err
	}
	if len(done) > 0 {
		fmt.Fprintf(a.stderr, "已重新计算 %s 的指标（报送数据在上次计算后有变化，或此前未计算）。\n", strings.Join(done, "、"))
	}
	return w, nil
}

const dashboardsUsage = "dashboards [--db 数据库] --month YYYY-MM --out 文件夹 [--map 地图.json [--map-source 说明]] [--date YYYY-MM-DD]"

// runDashboards renders the month's HTML dashboards (overview, one page per
// city, submission quality) into a folder that works from disk with no
// network. The months the pages show are made current first (openCurrent):
// missing or stale indicators are computed.
func runDashboards(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "dashboards", dashboardsUsage)
	db := addWarehouseFlags(fs, whRead).db
	month := fs.String("month", "", "报送月份 YYYY-MM（必填；须先用 ufa metrics 计算该月指标）")
	out := fs.String("out", "", "输出文件夹（必填；不存在时创建，同名文件被覆盖）")
	mapFile := fs.String("map", "", "换用的辽宁省地图：GeoJSON 文件，各市要素的 properties.name 为完整市名（如“沈阳市”）；正式印发应使用经审核的标准地图")
	mapSource := fs.String("map-source", "", "地图下方注明的来源和审图号（默认为地图文件名）")
	date := fs.String("date", "", "页面上的生成日期 YYYY-MM-DD（默认取该月最后一份报送的填报日期，使同一数据生成的页面完全相同）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("多余的参数 %q", fs.Arg(0))
	}
	if *month == "" {
		return usagef("缺少 --month YYYY-MM：请指定要生成看板的报送月份")
	}
	if _, err := metrics.ParseMonth(*month); err != nil {
		return usagef("%v", err)
	}
	if *out == "" {
		return usagef("缺少 --out 文件夹：请指定看板页面写到哪里")
	}
	if *date != "" {
		if _, err := time.Parse("2006-01-02", *date); err != nil {
			return usagef("--date %q 格式不对，应为 YYYY-MM-DD（如 2026-11-06）", *date)
		}
	}
	if *mapSource != "" && *mapFile == "" {
		return usagef("--map-source 要与 --map 一起给出")
	}
	var inputs []string
	if *mapFile != "" {
		inputs = append(inputs, *mapFile)
	}
	if err := checkOutput(output{flag: "--out", path: *out, dir: true}, guarded{db: *db, inputs: inputs}); err != nil {
		return err
	}
	opt := dashboards.LoadOptions{Month: *month, Date: *date}
	if *mapFile != "" {
		data, err := os.ReadFile(*mapFile)
		if err != nil {
			return usagef("无法读取地图文件 %s：%v", *mapFile, err)
		}
		m, err := dashboards.MapFromFile(data, filepath.Base(*mapFile), *mapSource)
		if err != nil {
			return usagef("%v", err)
		}
		opt.Map = &m
	}
	months, err := dashboards.Months(*month)
	if err != nil {
		return usagef("%v", err)
	}
	w, err := openCurrent(ctx, a, *db, months...)
	if err != nil {
		return err
	}
	defer w.Close()
	data, err := dashboards.Load(ctx, w.DB(), opt)
	if err != nil {
		return err
	}
	res, err := dashboards.RenderData(ctx, data, *out)
	if err != nil {
		return diskError(*out, err)
	}
	index, err := filepath.Abs(res.Index)
	if err != nil {
		index = res.Index
	}
	fmt.Fprintf(a.stdout, "已生成 %s 的看板：%d 个页面（全省总览、报送质量和 %d 个市），可离线打开。\n%s\n",
		*month, len(res.Pages), len(data.Cities), index)
	return nil
}
