package read

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRemoveStaleTemp: folders of dead processes go, those of live ones
// and anything else stay.
func TestRemoveStaleTemp(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{tempPrefix + "111-a", tempPrefix + "222-b", "other-333", tempPrefix + "x-c"} {
		if err := os.MkdirAll(filepath.Join(dir, n, "sub"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n, "sub", "excelize-1"), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	alive := func(pid int) bool { return pid == 222 }
	if n := removeStaleTemp(dir, alive); n != 1 {
		t.Errorf("removed %d, want 1", n)
	}
	for n, want := range map[string]bool{tempPrefix + "111-a": false, tempPrefix + "222-b": true, "other-333": true, tempPrefix + "x-c": true} {
		if _, err := os.Stat(filepath.Join(dir, n)); (err == nil) != want {
			t.Errorf("%s exists %v, want %v", n, err == nil, want)
		}
	}
	if !pidAlive(os.Getpid()) {
		t.Error("this process is not alive")
	}
}
