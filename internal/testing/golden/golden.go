package golden

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden instead of comparing with them")

// startDir is the test binary's working directory when it started (its
// package's folder), taken before any test moves with t.Chdir.
var startDir, startErr = os.Getwd()

// Updating tells whether this run rewrites golden files.
func Updating() bool { return *update }

// Dir is testdata/golden at the top of the repository.
func Dir(t testing.TB) string {
	t.Helper()
	dir := startDir
	if startErr != nil {
		t.Fatal(startErr)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata", "golden")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("golden: no go.mod above the test's folder")
		}
		dir = parent
	}
}

// Check compares got with testdata/golden/name (a slash path), or writes it
// there under -update. A mismatch fails the test with the first differing
// lines of both.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join(Dir(t), filepath.FromSlash(name))
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run `make golden` to create it, then review the diff)", name, err)
	}
	if bytes.Equal(got, want) {
		return
	}
	t.Errorf("golden %s differs (run `make golden` if the change is meant, and review the diff):\n%s", name, Diff(string(want), string(got)))
}

// CheckBinary holds binary output through dump: the golden file is the SHA-256
// of the bytes followed by dump's text.
func CheckBinary(t testing.TB, name string, got []byte, dump func([]byte) (string, error)) {
	t.Helper()
	text, err := dump(got)
	if err != nil {
		t.Fatalf("golden %s: dump: %v", name, err)
	}
	sum := sha256.Sum256(got)
	Check(t, name, []byte("sha256 "+hex.EncodeToString(sum[:])+"\n"+text))
}

// Diff shows where two texts part: up to 20 differing lines, each with its
// line number, "-" for the golden file and "+" for this run.
func Diff(want, got string) string {
	w := strings.Split(want, "\n")
	g := strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 20; i++ {
		var wl, gl string
		wok, gok := i < len(w), i < len(g)
		if wok {
			wl = w[i]
		}
		if gok {
			gl = g[i]
		}
		if wok && gok && wl == gl {
			continue
		}
		shown++
		from := 0
		if wok && gok {
			from = firstDiff(wl, gl)
		}
		if wok {
			fmt.Fprintf(&b, "%6d - %s\n", i+1, clip(wl, from))
		}
		if gok {
			fmt.Fprintf(&b, "%6d + %s\n", i+1, clip(gl, from))
		}
	}
	if len(w) != len(g) {
		fmt.Fprintf(&b, "(golden has %d lines, this run %d)\n", len(w), len(g))
	}
	return b.String()
}

// firstDiff is where two lines part, moved back a little for context and to
// the start of a UTF-8 character.
func firstDiff(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	i = max(0, i-60)
	for i > 0 && i < len(a) && !utf8.RuneStart(a[i]) {
		i--
	}
	return i
}

// clip shows at most 300 bytes of s from byte from, cut at a character boundary.
func clip(s string, from int) string {
	prefix := ""
	if from > 0 && from < len(s) {
		s, prefix = s[from:], "…"
	}
	if len(s) > 300 {
		end := 300
		for end > 0 && !utf8.RuneStart(s[end]) {
			end--
		}
		return prefix + s[:end] + "…"
	}
	return prefix + s
}

// CheckText holds a text dump without the bytes' SHA-256, for an output that
// carries the time it was made: normalize replaces that part first.
func CheckText(t testing.TB, name, text string, normalize func(string) string) {
	t.Helper()
	if normalize != nil {
		text = normalize(text)
	}
	Check(t, name, []byte(text))
}
