//go:build cgo

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeCommands runs every `ufa …` line of the README, in order, in
// an empty folder, as a user who ran make install would: none may be a
// bad invocation or fail (exit 2). The clerk's validate of a blank
// template is exit 1 (errors to fix), as the README says.
func TestReadmeCommands(t *testing.T) {
	needAssets(t)
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "    ufa ") {
			if i := strings.Index(l, "   #"); i >= 0 {
				l = l[:i]
			}
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	if len(lines) < 10 {
		t.Fatalf("only %d command lines found in README.md", len(lines))
	}
	t.Chdir(t.TempDir())
	t.Setenv("UFA_KEY_FILE", "")
	for _, l := range lines {
		args := shellWords(t, l)
		code, _, stderr := runUFA(args[1:]...)
		if code == exitFailed || strings.Contains(stderr, "panic") {
			t.Errorf("README: %s\nexit %d: %s", l, code, stderr)
		}
	}
}

// shellWords splits a command line as a POSIX shell would for the
// README's lines: blanks separate words, "…" and '…' quote.
func shellWords(t *testing.T, s string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("unclosed quote in %q", s)
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}
