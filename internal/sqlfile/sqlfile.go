package sqlfile

import (
	"fmt"
	"io/fs"
	"strings"
)

// File is one SQL file.
type File struct {
	Name string // its path in the fs.FS it came from: sql/on_time.sql
	Text string // the whole text, as written

	Fields []Field // the header's "-- key: value" lines, in order
	// Doc is the header's other comment lines, without "--" and trimmed
	// ("" for a bare "--"), in order.
	Doc []string
	// Body is the SQL after the header up to the first section (all of it
	// in a file without sections), trimmed; BodyLine is its first line (0
	// when there is none).
	Body     string
	BodyLine int
	Sections []Section // the "-- @kind title" sections, in order
}

// Field is a "-- key: value" line of a header.
type Field struct {
	Key, Value string
	Line       int
}

// Section is the SQL after a "-- @kind title" line, up to the next one.
type Section struct {
	Kind, Title string
	Line        int    // the line of the marker
	SQL         string // trimmed; comments kept
}

// Error is a problem at a line of a file.
type Error struct {
	File string
	Line int
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error at line of f.
func (f *File) Errorf(line int, format string, a ...any) error {
	return &Error{File: f.Name, Line: line, Err: fmt.Errorf(format, a...)}
}

// Field returns the value of the header's first field called key.
func (f *File) Field(key string) (string, bool) {
	for _, x := range f.Fields {
		if x.Key == key {
			return x.Value, true
		}
	}
	return "", false
}

// Parse reads the header and sections of a file's text. A file with
// sections may have no SQL between its header and its first section.
func Parse(name, text string) (*File, error) {
	f := &File{Name: name, Text: text}
	var body []string
	var sec []string // the current section's lines
	endSection := func() {
		if len(f.Sections) > 0 {
			f.Sections[len(f.Sections)-1].SQL = strings.TrimSpace(strings.Join(sec, "\n"))
		}
		sec = sec[:0]
	}
	inHeader := true
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		line = strings.TrimSuffix(line, "\r")
		if rest, ok := strings.CutPrefix(line, "-- @"); ok {
			endSection()
			kind, title, _ := strings.Cut(rest, " ")
			f.Sections = append(f.Sections, Section{Kind: kind, Title: strings.TrimSpace(title), Line: n})
			inHeader = false
			continue
		}
		if len(f.Sections) > 0 {
			sec = append(sec, line)
			continue
		}
		if inHeader {
			t := strings.TrimSpace(line)
			if t == "" {
				continue
			}
			if rest, ok := strings.CutPrefix(t, "--"); ok {
				rest = strings.TrimSpace(rest)
				if key, val, ok := field(rest); ok {
					f.Fields = append(f.Fields, Field{Key: key, Value: val, Line: n})
				} else {
					f.Doc = append(f.Doc, rest)
				}
				continue
			}
			inHeader = false
			f.BodyLine = n
		}
		body = append(body, line)
	}
	endSection()
	f.Body = strings.TrimSpace(strings.Join(body, "\n"))
	if len(f.Sections) > 0 && f.BodyLine > 0 {
		return nil, f.Errorf(f.BodyLine, "SQL before the first section (-- @%s)", f.Sections[0].Kind)
	}
	return f, nil
}

// field reads "key: value" (or "key:" at the end of the line), key made
// of a-z, 0-9 and _ and beginning with a letter.
func field(s string) (key, val string, ok bool) {
	key, val, ok = strings.Cut(s, ":")
	if !ok || key == "" || !(val == "" || val[0] == ' ' || val[0] == '\t') {
		return "", "", false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || c >= '0' && c <= '9' && i > 0) {
			return "", "", false
		}
	}
	return key, strings.TrimSpace(val), true
}

// Read reads and parses the file name of fsys.
func Read(fsys fs.FS, name string) (*File, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return Parse(name, string(b))
}

// Load reads and parses the files of fsys that match pattern (fs.Glob:
// "sql/*.sql"), in the order of their names.
func Load(fsys fs.FS, pattern string) ([]*File, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, err
	}
	out := make([]*File, 0, len(names))
	for _, n := range names {
		f, err := Read(fsys, n)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// Text returns the text of the file name of fsys, for a package's lookup
// of its embedded statements by name. A missing file is a programming
// error that every test running the statement shows: Text panics.
func Text(fsys fs.FS, name string) string {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		panic(fmt.Sprintf("sqlfile: %v", err))
	}
	return string(b)
}

// Statements splits the file's text as a script (see Split), and reports
// a quote, quoted name, dollar-quoted string or block comment left open.
func (f *File) Statements() ([]Statement, error) {
	st, open := split(f.Text, Script)
	if open > 0 {
		return nil, f.Errorf(open, "a quote or comment opened here is never closed")
	}
	return st, nil
}
