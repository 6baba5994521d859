package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// errHelp is returned when --help was asked for: the usage has been printed.
var errHelp = errors.New("help shown")

// newFlags makes a flag set that prints its usage in Chinese to stdout
// (the synopsis, then the lines of about, then the flags) and reports
// errors as usage errors (exit 2) instead of exiting.
func newFlags(a *app, name, usage string, about ...string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(a.stdout, "用法: ufa %s\n\n", usage)
		if len(about) > 0 {
			fmt.Fprintf(a.stdout, "%s\n\n", strings.Join(about, "\n"))
		}
		fmt.Fprint(a.stdout, "参数:\n")
		fs.SetOutput(a.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parseFlags parses args, printing help for -h/--help, and turns any other
// parse error into a usage error. Flags may follow positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				// flag has already printed the usage.
				return errHelp
			}
			return usagef("%v", err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}
