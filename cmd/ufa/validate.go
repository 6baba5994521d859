package main

import "context"

func runValidate(ctx context.Context, a *app, args []string) error {
	return usagef("命令 validate 尚未实现")
}
