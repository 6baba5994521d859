package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"

	"ufa/internal/spec"
)

// Exit codes of cli.md.
const (
	exitOK       = 0
	exitFindings = 1 // done, but a workbook has errors or was rejected
	exitFailed   = 2 // could not do the work
)

// errFindings is returned by a command that finished its work but found a
// workbook with errors (validate) or rejected one (ingest, run): exit 1.
var errFindings = errors.New("some workbooks have errors")

// usageError is a bad invocation: exit 2 with the message and a hint.
type usageError struct {
	msg   string
	cmd   string // the command, for the hint; set by run
	cause error  // what msg says, for advise (queryError)
}

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{msg: fmt.Sprintf(format, a...)} }

// goMemoryLimit is the Go runtime's soft memory limit in the commands
// that open the warehouse (unless GOMEMLIMIT is set): past it the
// collector runs more often rather than letting the heap double, so that
// a national month's ingest (about 300 MB of live Arrow batches and rows
// at 30 times Liaoning) stays, with DuckDB's own memory_limit
// (transform.DefaultMemoryLimit), under 1 GiB. A smaller heap never
// reaches it and pays nothing. (384 MiB cost ingest 15% more CPU in
// collections; validate, which has no DuckDB beside it, is left alone.)
const goMemoryLimit = 512 << 20

// app is what every command gets: where to write, how to log, the contract.
type app struct {
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	book   *spec.Book
	// stderrTTY tells whether progress bars may be drawn.
	stderrTTY bool
	// memoryLimit and threads bound the warehouse's engine (DuckDB):
	// --memory-limit and --threads of the warehouse commands ("" and 0:
	// transform's defaults).
	memoryLimit string
	threads     int
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, a *app, args []string) error
}

func commands() []command {
	cmds := []command{
		{"template", "写出空白报送模板", runTemplate},
		{"validate", "校验报送工作簿（可离线运行）", runValidate},
		{"gen", "生成模拟报送工作簿（演示、测试、基准）", runGen},
	}
	cmds = append(cmds, warehouseCommands()...)
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	return cmds
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code, ok := clerkMode(ctx, os.Args[1:], os.Stdin, mayPause(os.Stdin), os.Stdout)
	if !ok {
		code = run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	}
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	level := slog.LevelWarn
	if os.Getenv("UFA_DEBUG") != "" {
		level = slog.LevelDebug
	}
	a := &app{
		stdout:    stdout,
		stderr:    stderr,
		log:       slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})),
		book:      spec.Load(),
		stderrTTY: isTerminal(stderr),
	}
	if len(args) == 1 && args[0] == "--version" {
		printVersion(stdout)
		return exitOK
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return exitFailed
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			if isWarehouseCommand(c.name) && os.Getenv("GOMEMLIMIT") == "" {
				debug.SetMemoryLimit(goMemoryLimit)
			}
			return exitCode(stderr, usageOf(c.name, c.run(ctx, a, args[1:])))
		}
	}
	fmt.Fprintf(stderr, "ufa: 未知命令 %q；运行 ufa --help 查看可用命令\n", args[0])
	return exitFailed
}

func exitCode(stderr io.Writer, err error) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelp):
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "ufa: %s\n（运行 %s 查看用法）\n", advise(ue.cause, ue.msg), helpHint(ue.cmd))
		return exitFailed
	default:
		fmt.Fprintf(stderr, "ufa: %s\n", advise(err, err.Error()))
		return exitFailed
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "ufa — 辽宁省社会组织统战工作考核数据处理工具")
	fmt.Fprintln(w, "\n用法: ufa <命令> [参数]\n\n命令:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\n每个命令都支持 --help。退出码: 0 完成；1 完成但有工作簿存在错误或被拒收；2 无法完成。")
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
