package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		o       Options
		write   func(f *os.File) error
		wantErr error
		want    string // content after; "" with old=true means unchanged
		mode    os.FileMode
	}{
		{"replaces", Options{}, func(f *os.File) error { _, err := io.WriteString(f, "new"); return err }, nil, "new", 0o644},
		{"private synced", Options{Perm: 0o600, Sync: true}, func(f *os.File) error { _, err := io.WriteString(f, "key"); return err }, nil, "key", 0o600},
		{"failed write keeps old", Options{}, func(f *os.File) error { io.WriteString(f, "half"); return boom }, boom, "old", 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "out.txt")
			if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			err := WriteWith(p, tt.o, tt.write)
			if err != tt.wantErr { // the caller's error comes back unwrapped
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			b, _ := os.ReadFile(p)
			if string(b) != tt.want {
				t.Errorf("content %q, want %q", b, tt.want)
			}
			st, _ := os.Stat(p)
			if st.Mode().Perm() != tt.mode {
				t.Errorf("mode %v, want %v", st.Mode().Perm(), tt.mode)
			}
			if es, _ := os.ReadDir(dir); len(es) != 1 {
				t.Errorf("temporary file left: %v", es)
			}
		})
	}
}

func TestWriteFileMissingFolder(t *testing.T) {
	p := filepath.Join(t.TempDir(), "none", "x")
	err := WriteFile(p, []byte("x"))
	var ae *Error
	if !errors.As(err, &ae) || ae.Op != OpCreate || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %#v, want an OpCreate *Error wrapping ErrNotExist", err)
	}
}

func TestRenameOntoFolder(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub")
	if err := os.MkdirAll(filepath.Join(p, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(p, []byte("x"))
	var ae *Error
	if !errors.As(err, &ae) || ae.Op != OpRename {
		t.Fatalf("err = %v, want OpRename", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("temporary file left: %v", es)
	}
}
