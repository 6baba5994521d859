package main

import "context"

func runTemplate(ctx context.Context, a *app, args []string) error {
	return usagef("命令 template 尚未实现")
}
