package testbook

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestHelpersStayApart: the test helpers under internal/testing/ are never
// linked into a program ufa ships: the full ufa, the build tool of the
// validator page, and the validator compiled to WebAssembly.
func TestHelpersStayApart(t *testing.T) {
	for _, c := range []struct {
		env  []string
		pkgs []string
	}{
		{[]string{"GOFLAGS=-tags=duckdb_arrow"}, []string{"ufa/cmd/ufa", "ufa/internal/clerkpage/mkpage"}},
		{[]string{"GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0"}, []string{"ufa/cmd/ufa-wasm"}},
	} {
		cmd := exec.Command("go", append([]string{"list", "-deps"}, c.pkgs...)...)
		cmd.Env = append(os.Environ(), c.env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list %v: %v\n%s", c.pkgs, err, out)
		}
		for _, p := range strings.Fields(string(out)) {
			if strings.HasPrefix(p, "ufa/internal/testing/") || strings.HasSuffix(p, "/ingesttest") {
				t.Errorf("%s is a test helper, but %v imports it", p, c.pkgs)
			}
		}
	}
}
