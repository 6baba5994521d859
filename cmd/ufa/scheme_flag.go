//go:build cgo

package main

import (
	"flag"
	"os"

	"ufa/metrics"
)

// schemeFlag is --scheme FILE, the assessment scheme for commands that
// compute (metrics, run).
type schemeFlag struct{ file *string }

// addSchemeFlag defines --scheme; seeShow is where the help sends the
// reader for the default scheme.
func addSchemeFlag(fs *flag.FlagSet, seeShow string) schemeFlag {
	return schemeFlag{fs.String("scheme", "", "考核方案 YAML 文件（默认为内置方案，见 "+seeShow+"）")}
}

// File is the flag's value ("" without it).
func (s schemeFlag) File() string { return *s.file }

// load reads and checks the scheme the flag names: nil without the flag
// (the built-in scheme), a usage error for a file that cannot be read or
// is no valid scheme.
func (s schemeFlag) load() (*metrics.Scheme, error) {
	if *s.file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(*s.file)
	if err != nil {
		return nil, usagef("无法读取考核方案文件 %s：%v", *s.file, err)
	}
	sc, err := metrics.ParseScheme(data)
	if err != nil {
		return nil, usagef("%s：%v", *s.file, err)
	}
	return sc, nil
}
