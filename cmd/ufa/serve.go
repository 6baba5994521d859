//go:build cgo

package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"ufa/portal"
	"ufa/transform"
)

const serveUsage = "serve [--db 数据库] [--key-file 密钥文件 | --demo-key] [--addr 地址:端口] [--tls-cert 证书 --tls-key 私钥] [--max-upload MB] [--validator-page 文件]"

// runServe runs the portal (docs/portal.md) until SIGINT or SIGTERM.
//
// Choices where portal.md is silent: the key is found as ufa ingest finds
// it (--key-file, UFA_KEY_FILE, --demo-key or UFA_DEMO_KEY=1, else
// <db>.key, created for a new warehouse); the validator page is
// --validator-page, else ufa-validator.html beside the ufa executable
// (where make validator writes it), when it is there.
func runServe(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "serve", serveUsage,
		"启动考核门户：各市上传工作簿并立即看到校验结果，省级管理员查看报送看板、锁定月份、下载报告和备份，领导查看看板。",
		"门户运行期间独占数据库，其他 ufa 命令会提示数据库正被使用。首次启动时自动建立省级管理员账户，并在此处打印其密码（只打印一次）。",
		"按 Ctrl+C（或发送 SIGTERM）停止：不再接收新的上传，处理完正在处理的那一个，关闭数据库后退出。",
	)
	wh := addWarehouseFlags(fs, whServe)
	db := wh.db
	addr := fs.String("addr", "127.0.0.1:8080", "监听的地址和端口；在内网提供服务时如 0.0.0.0:8443")
	cert := fs.String("tls-cert", "", "TLS 证书文件（PEM）；与 --tls-key 一起给出时使用 HTTPS")
	key := fs.String("tls-key", "", "TLS 私钥文件（PEM）")
	maxMB := fs.Int64("max-upload", 100, "单个上传文件的上限（MB）")
	validatorPage := fs.String("validator-page", "", "网页版校验器（/validate 提供给各市的页面，make validator 生成）；不给时用 ufa 程序旁的 ufa-validator.html")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("多余的参数 %q", fs.Arg(0))
	}
	if (*cert == "") != (*key == "") {
		return usagef("--tls-cert 与 --tls-key 须一起给出")
	}
	if *maxMB < 1 || *maxMB > 4096 {
		return usagef("--max-upload 应在 1 到 4096（MB）之间")
	}
	validator := *validatorPage
	if validator != "" {
		if st, err := os.Stat(validator); err != nil || !st.Mode().IsRegular() {
			return usagef("--validator-page %s 不存在或不是文件（用 make validator 生成 bin/ufa-validator.html）", validator)
		}
	} else if exe, err := os.Executable(); err == nil {
		validator = filepath.Join(filepath.Dir(exe), "ufa-validator.html")
	}
	if wh.bothKeys() {
		return usagef(errBothKeys)
	}
	src := wh.key()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s：%v（端口是否已被占用？可用 --addr 换一个）", *addr, err)
	}
	defer ln.Close()

	w, err := transform.Open(ctx, *db, transform.Options{Book: a.book})
	if err != nil {
		return err
	}
	defer w.Close()
	if err := ingestUseKey(ctx, a, w, ingestOptions{DB: *db, Key: src}); err != nil {
		return err
	}
	accts := &portal.Accounts{DB: w.DB(), Book: a.book}
	name, pw, err := accts.EnsureOffice(ctx)
	if err != nil {
		return err
	}
	if name != "" {
		fmt.Fprintf(a.stderr, "已建立省级管理员账户：%s  一次性密码：%s\n请登录后在“账户”页为自己重设密码；此密码不会再次显示。\n", name, pw)
	}
	srv, err := portal.New(ctx, portal.Config{W: w, Book: a.book, MaxUpload: *maxMB << 20, TLS: *cert != "", Validator: validator, Log: a.log})
	if err != nil {
		return err
	}
	scheme := "http"
	if *cert != "" {
		scheme = "https"
	}
	// A note for the other ufa commands' "in use" message.
	serving := *db + ".serving"
	if err := os.WriteFile(serving, fmt.Appendf(nil, "考核门户 ufa serve（%s://%s/，进程 %d）", scheme, ln.Addr(), os.Getpid()), 0o644); err == nil {
		defer os.Remove(serving)
	}
	fmt.Fprintf(a.stderr, "考核门户已启动：%s://%s/ （数据库 %s；按 Ctrl+C 停止）\n", scheme, ln.Addr(), *db)
	sctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.ListenAndServe(sctx, ln, *cert, *key); err != nil {
		return fmt.Errorf("门户: %w", err)
	}
	fmt.Fprintln(a.stderr, "考核门户已停止，数据库已关闭。")
	return nil
}
