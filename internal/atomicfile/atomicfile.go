package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The steps an *Error names.
const (
	OpCreate = "create" // the temporary file could not be created
	OpChmod  = "chmod"
	OpSync   = "sync"
	OpClose  = "close"
	OpRename = "rename" // the temporary file could not replace the target
)

// Error is a failure of one of the steps around the caller's write.
type Error struct {
	Op   string // one of the Op constants
	Path string // the target
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("%s %s: %v", e.Op, e.Path, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Options tune a write. The zero value writes mode 0644 without fsync:
// right for outputs that can be made again (pages, reports, results).
type Options struct {
	// Perm is the mode of the file; 0 means 0644 (outputs are for
	// sharing; os.CreateTemp alone would make them private).
	Perm os.FileMode
	// Sync flushes the file before the rename and the folder after it,
	// where losing the file to a power cut would lose data.
	Sync bool
}

// Write writes path (mode 0644) with what write writes to it.
func Write(path string, write func(w io.Writer) error) error {
	return WriteWith(path, Options{}, func(f *os.File) error { return write(f) })
}

// WriteFile writes data to path (mode 0644).
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteWith writes path with o, giving write the temporary file itself
// (for writers that also need to read back or seek, like a zip builder).
func WriteWith(path string, o Options, write func(f *os.File) error) error {
	perm := o.Perm
	if perm == 0 {
		perm = 0o644
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return &Error{OpCreate, path, err}
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if o.Sync {
		if err := f.Sync(); err != nil {
			return &Error{OpSync, path, err}
		}
	}
	done = true
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return &Error{OpClose, path, err}
	}
	// By name, after closing: File.Chmod is not available everywhere.
	if err := os.Chmod(tmp, perm); err != nil {
		os.Remove(tmp)
		return &Error{OpChmod, path, err}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return &Error{OpRename, path, err}
	}
	if o.Sync {
		if err := SyncDir(dir); err != nil {
			return &Error{OpSync, path, err}
		}
	}
	return nil
}

// SyncDir flushes a folder's entries (a new or renamed file in it), so
// that the name survives a power cut, not only the bytes.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
