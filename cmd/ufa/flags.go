package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// errHelp is returned when --help was asked for: the usage has been printed.
var errHelp = errors.New("help shown")

// newFlags makes a flag set that prints its usage in Chinese to stdout
// (the synopsis, what the command is for, the lines of about, the flags
// as --flag, then examples) and reports errors as usage errors (exit 2)
// instead of exiting.
func newFlags(a *app, name, usage string, about ...string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// flag calls Usage on every parse error too; the help is kept aside
	// and printed by parseFlags only when it was asked for.
	help := &helpBuffer{dst: a.stdout}
	fs.SetOutput(help)
	fs.Usage = func() {
		help.Reset()
		printHelp(help, fs, name, usage, about)
	}
	if isWarehouseCommand(name) {
		fs.StringVar(&a.memoryLimit, "memory-limit", "",
			"数据库引擎可用的内存上限，`大小`如 512MB、2GB；超出的部分暂存到数据库旁的 .tmp 文件夹（默认 512MB）")
		fs.IntVar(&a.threads, "threads", 0, "数据库引擎使用的线程数（默认为处理器核数）")
	}
	return fs
}

// helpBuffer holds a command's help until parseFlags knows whether it was
// asked for (--help) or came with an error (not shown).
type helpBuffer struct {
	bytes.Buffer
	dst io.Writer
}

// printHelp writes a command's help: synopsis, its purpose (the about
// lines, or the summary of the command list), the flags, examples.
func printHelp(w io.Writer, fs *flag.FlagSet, name, usage string, about []string) {
	fmt.Fprintf(w, "用法: ufa %s\n\n", usage)
	// What the command is for: its own lines when it has them, else the
	// sentence of the command list.
	if len(about) > 0 {
		fmt.Fprintf(w, "%s\n\n", strings.Join(about, "\n"))
	} else if s := commandSummary(name); s != "" {
		fmt.Fprintf(w, "%s。\n\n", s)
	}
	fmt.Fprint(w, "参数:\n")
	printDefaults(w, fs)
	if ex := commandExamples[name]; len(ex) > 0 {
		fmt.Fprint(w, "\n例如:\n")
		for _, e := range ex {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}

func commandSummary(name string) string {
	for _, c := range commands() {
		if c.name == name {
			return strings.TrimSuffix(c.summary, "。")
		}
	}
	return ""
}

// flagName is how a flag is written in help and messages: --name, or -o
// for a one-letter flag (both forms are accepted).
func flagName(name string) string {
	if len([]rune(name)) == 1 {
		return "-" + name
	}
	return "--" + name
}

// printDefaults replaces flag's PrintDefaults, which writes -flag and
// English ("(default ...)"): one line per flag, --flag and its value's
// placeholder, then the Chinese description and default.
func printDefaults(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		placeholder, usage := flag.UnquoteUsage(f)
		head := "  " + flagName(f.Name)
		if placeholder != "" {
			head += " " + placeholderName(f.Name, placeholder)
		}
		fmt.Fprint(w, head)
		if len([]rune(head)) <= 4 {
			fmt.Fprint(w, "\t")
		} else {
			fmt.Fprint(w, "\n    \t")
		}
		fmt.Fprint(w, strings.ReplaceAll(usage, "\n", "\n    \t"))
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "[]" && d != "map[]" {
			fmt.Fprintf(w, "（默认 %s）", d)
		}
		fmt.Fprintln(w)
	})
}

// flagPlaceholders name the value of the common flags in help.
var flagPlaceholders = map[string]string{
	"db": "数据库", "month": "YYYY-MM", "from": "YYYY-MM", "to": "YYYY-MM", "date": "YYYY-MM-DD",
	"out": "文件夹", "o": "文件", "dir": "文件夹", "inbox": "文件夹", "format": "格式",
	"city": "市", "param": "名=值", "scheme": "方案.yaml", "key-file": "密钥文件",
	"map": "地图.json", "map-source": "说明", "annotate": "输出", "explain": "指标",
}

// placeholderName names a flag's value: the name given in its usage
// between backquotes, a common flag's, or the type flag derives, in
// Chinese.
func placeholderName(flagName, p string) string {
	switch p {
	case "string", "value":
		if n, ok := flagPlaceholders[flagName]; ok {
			return n
		}
		return "值"
	case "int", "uint":
		return "整数"
	case "float":
		return "数"
	case "duration":
		return "时长"
	}
	return p
}

// parseFlags parses args, printing help for -h/--help, and turns any other
// parse error into a Chinese usage error. Flags may follow positional
// arguments; everything after "--" is positional, and so is an argument
// that cannot be a flag because it starts with a SQL comment ("-- ..." or
// "--x ..." with blanks or a line break in its name), so that
// ufa query "-- 说明\nSELECT 1" works without the "--" separator.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
			continue
		case !strings.HasPrefix(arg, "-") || arg == "-" || looksLikeSQL(arg):
			pos = append(pos, arg)
			continue
		}
		flags = append(flags, arg)
		name := strings.TrimLeft(arg, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			if h, ok := fs.Output().(*helpBuffer); ok {
				if _, err := h.dst.Write(h.Bytes()); err != nil {
					return err
				}
			}
			return errHelp
		}
		return usageError{msg: translateFlagError(err)}
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

// looksLikeSQL tells an argument starting with "--" that is a SQL text
// (a comment, then the statement) from a flag: a flag's name has no blank.
func looksLikeSQL(arg string) bool {
	if !strings.HasPrefix(arg, "--") {
		return false
	}
	name, _, _ := strings.Cut(arg[2:], "=")
	return name == "" || strings.ContainsAny(name, " \t\r\n") || strings.HasPrefix(name, "-")
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

var (
	reUndefined = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	reNeedsArg  = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	reBadSyntax = regexp.MustCompile(`^bad flag syntax: (.*)$`)
	reInvalid   = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-+([^:]*): (.*)$`)
	reBadBool   = regexp.MustCompile(`^invalid boolean flag -*([^:]*): (.*)$`)
)

// translateFlagError words the flag package's English errors in Chinese.
func translateFlagError(err error) string {
	msg := err.Error()
	if m := reUndefined.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("没有参数 %s：请检查拼写，可用的参数见 --help", flagName(m[1]))
	}
	if m := reNeedsArg.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("参数 %s 后面缺少它的值", flagName(m[1]))
	}
	if m := reBadSyntax.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("参数的写法不对：%s（应写成 --名称 值 或 --名称=值）", m[1])
	}
	if m := reInvalid.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("参数 %s 的值 %q 不对：%s", flagName(m[2]), m[1], translateCause(m[3]))
	}
	if m := reBadBool.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("参数 %s 是开关，不带值（或写成 %s=true / %s=false）", flagName(m[1]), flagName(m[1]), flagName(m[1]))
	}
	return msg
}

func translateCause(s string) string {
	switch s {
	case "parse error":
		return "应为一个数"
	case "value out of range":
		return "超出范围"
	}
	return s
}

// usageOf tells a usage error which command it belongs to, for the hint.
func usageOf(cmd string, err error) error {
	var ue usageError
	if errors.As(err, &ue) && ue.cmd == "" {
		ue.cmd = cmd
		return ue
	}
	return err
}

// helpHint is the command line that shows a command's help.
func helpHint(cmd string) string {
	if cmd == "" {
		return "ufa <命令> --help"
	}
	return "ufa " + cmd + " --help"
}
