package main

import "context"

func runGen(ctx context.Context, a *app, args []string) error {
	return usagef("命令 gen 尚未实现")
}
