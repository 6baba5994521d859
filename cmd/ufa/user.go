//go:build cgo

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"ufa/portal"
	"ufa/transform"
)

const userUsage = "user add 名称 --role city|office|leader [--city 市] [--password-stdin] | user passwd 名称 [--password-stdin] | user disable 名称 | user list  [--db 数据库]"

// runUser manages the portal's accounts while the portal is stopped.
// Without --password-stdin a random password is printed once; with it,
// the first line of standard input is the password.
func runUser(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "user", userUsage,
		"管理考核门户的账户（门户运行时请在门户的“账户”页管理）。",
		"  add 名称 --role 角色 [--city 市]   建立账户；市级填报（city）账户须用 --city 指定所属的市（市名或区划代码）",
		"  passwd 名称                      设置新密码（同时解除锁定，原有登录失效）",
		"  disable 名称                     停用账户",
		"  list                             列出全部账户",
		"不给 --password-stdin 时随机生成密码并打印一次；给出时从标准输入的第一行读取密码（至少 10 个字符）。",
	)
	db := addWarehouseFlags(fs, whRead).db
	role := fs.String("role", "", "角色：city（市级填报）、office（省级管理）或 leader（领导）")
	city := fs.String("city", "", "市级填报账户所属的市：市名、简称或 6 位区划代码")
	stdin := fs.Bool("password-stdin", false, "从标准输入读取密码")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return usagef("缺少子命令：add、passwd、disable 或 list")
	}
	sub, rest := rest[0], rest[1:]
	want := 1
	if sub == "list" {
		want = 0
	}
	switch sub {
	case "add", "passwd", "disable", "list":
	default:
		return usagef("未知的子命令 %q：只能是 add、passwd、disable 或 list", sub)
	}
	if len(rest) != want {
		if want == 0 {
			return usagef("user list 不需要其他参数")
		}
		return usagef("user %s 需要一个账户名称", sub)
	}
	if sub != "add" && (*role != "" || *city != "") {
		return usagef("--role 和 --city 只用于 user add")
	}
	if sub == "add" && *role == "" {
		return usagef("缺少 --role：city（市级填报）、office（省级管理）或 leader（领导）")
	}
	password := ""
	if sub == "add" || sub == "passwd" {
		if *stdin {
			line, err := bufio.NewReader(os.Stdin).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("读取密码: %w", err)
			}
			password = strings.TrimRight(line, "\r\n")
		} else {
			password = portal.GeneratePassword()
		}
	}
	w, err := transform.Open(ctx, *db, transform.Options{Book: a.book})
	if err != nil {
		return err
	}
	defer w.Close()
	accts := &portal.Accounts{DB: w.DB(), Book: a.book}
	who := portal.Actor{Address: "命令行"}
	switch sub {
	case "list":
		list, err := accts.List(ctx)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			fmt.Fprintln(a.stdout, "还没有账户（首次运行 ufa serve 时会建立省级管理员账户）。")
		}
		for _, ac := range list {
			state := "正常"
			switch {
			case ac.Disabled:
				state = "已停用"
			case !ac.LockedUntil.IsZero():
				state = "锁定至 " + ac.LockedUntil.Local().Format("2006-01-02 15:04")
			}
			cityName := ""
			if c, ok := a.book.City(ac.CityCode); ok && ac.CityCode != "" {
				cityName = c.Name
			}
			fmt.Fprintf(a.stdout, "%-16s %-8s %-8s %s\n", ac.Name, portal.RoleName(ac.Role), cityName, state)
		}
		return nil
	case "add":
		err = accts.Add(ctx, who, rest[0], portal.Role(*role), *city, password)
	case "passwd":
		err = accts.Passwd(ctx, who, rest[0], password)
	case "disable":
		err = accts.Disable(ctx, who, rest[0])
	}
	if err != nil {
		if errors.Is(err, transform.ErrLocked) {
			return err
		}
		return usagef("%v", err)
	}
	switch {
	case sub == "disable":
		fmt.Fprintf(a.stdout, "已停用账户 %s。\n", rest[0])
	case *stdin:
		fmt.Fprintf(a.stdout, "已为账户 %s 设置密码。\n", rest[0])
	default:
		fmt.Fprintf(a.stdout, "账户 %s 的密码：%s\n（只显示这一次，请告知本人）\n", rest[0], password)
	}
	return nil
}
