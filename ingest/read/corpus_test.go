package read

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ufa/ingest/model"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// rdCorpusNotes reads the "what is odd" column of SOURCES.md by file name.
func rdCorpusNotes(t testing.TB, dir string) map[string]string {
	t.Helper()
	fh, err := os.Open(filepath.Join(dir, "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	notes := map[string]string{}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		cells := strings.Split(sc.Text(), "|")
		if len(cells) < 8 {
			continue
		}
		name := strings.TrimSpace(cells[1])
		if strings.Contains(name, "__") {
			notes[name] = strings.TrimSpace(cells[len(cells)-2])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return notes
}

// rdUnreadable tells the files that must give exactly one E_FILE: those
// SOURCES.md marks as not an xlsx or not readable, binary .xlsb workbooks
// and a workbook without any sheet.
func rdUnreadable(name, note string) bool {
	if strings.HasSuffix(name, ".xlsb") || strings.Contains(note, "zero sheets") {
		return true
	}
	for _, m := range []string{"ENCRYPTED", "MALFORMED", "FUZZED", "WRONG FORMAT", "EMPTY", "TRUNCATED"} {
		if strings.Contains(note, m) {
			return true
		}
	}
	return false
}

// TestReadCorpus reads every file of the wild corpus: none may panic or
// hang; a file is either read (no E_FILE) or refused with exactly one
// E_FILE; the encrypted, renamed, malformed and fuzzed ones are refused;
// the ordinary ones are read (their sheets are not ours, so they get
// E_SHEET_MISSING).
func TestReadCorpus(t *testing.T) {
	dir := testbook.CorpusDir(t)
	notes := rdCorpusNotes(t, dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	book := spec.Load()
	refused, read := 0, 0
	for _, e := range entries {
		name := e.Name()
		if name == "SOURCES.md" || e.IsDir() {
			continue
		}
		note, ok := notes[name]
		if !ok {
			t.Errorf("%s: not described in SOURCES.md", name)
		}
		type out struct {
			wb *model.Workbook
			fs []model.Finding
		}
		done := make(chan out, 1)
		go func() {
			wb, fs := Read(context.Background(), book, filepath.Join(dir, name))
			done <- out{wb, fs}
		}()
		var o out
		select {
		case o = <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: Read did not return within 30 s (hang guard)", name)
		}
		fileErrs := 0
		for _, f := range o.fs {
			if f.Code == "E_FILE" {
				fileErrs++
			}
			if f.Message == rdMsgCrash {
				t.Errorf("%s: excelize panicked (recovered): %s", name, note)
			}
		}
		switch {
		case o.wb == nil:
			refused++
			if len(o.fs) != 1 || fileErrs != 1 {
				t.Errorf("%s: nil workbook with findings %v, want exactly one E_FILE", name, o.fs)
			}
		default:
			read++
			if fileErrs != 0 {
				t.Errorf("%s: workbook read but E_FILE among %v", name, o.fs)
			}
		}
		switch {
		case rdUnreadable(name, note) && o.wb != nil:
			t.Errorf("%s (%s): read, want one E_FILE", name, note)
		case !rdUnreadable(name, note) && !strings.Contains(note, "HOSTILE") && o.wb == nil:
			t.Errorf("%s (%s): refused with %q, want it read", name, note, o.fs[0].Message)
		}
		if testing.Verbose() {
			msg := ""
			if o.wb == nil {
				msg = o.fs[0].Message
			}
			t.Logf("%-55s %-5v %s", name, o.wb != nil, msg)
		}
	}
	t.Logf("corpus: %d files, %d read, %d refused with E_FILE", read+refused, read, refused)
}
