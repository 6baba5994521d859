package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"ufa/internal/sqlfile"
)

//go:embed sql/*.sql
var files embed.FS

// Param is a parameter of a named query.
type Param struct {
	Name     string
	Required bool
	Default  string   // when not Required
	Choices  []string // the values accepted; nil: any
	Doc      string   // Chinese
}

// Query is a named query.
type Query struct {
	Name        string
	Description string // Chinese, one line
	Params      []Param
	// NeedsMetrics: the query reads the month's stored indicator values.
	NeedsMetrics bool
	// Explain: the rows come from metrics.Explain (no SQL).
	Explain bool
	SQL     string // the file's text, header included (comments)
}

// Param returns the parameter called name.
func (q Query) Param(name string) (Param, bool) {
	for _, p := range q.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// List returns the named queries by name.
func List() []Query {
	qs, err := load(files)
	if err != nil {
		// The files are embedded at build time and parsed by the tests.
		panic(fmt.Sprintf("queries: embedded query files: %v", err))
	}
	return qs
}

// Lookup returns the named query called name.
func Lookup(name string) (Query, bool) {
	for _, q := range List() {
		if q.Name == name {
			return q, true
		}
	}
	return Query{}, false
}

func load(fsys fs.FS) ([]Query, error) {
	fl, err := sqlfile.Load(fsys, "sql/*.sql")
	if err != nil {
		return nil, err
	}
	var out []Query
	for _, f := range fl {
		q, err := parse(f)
		if err != nil {
			return nil, err
		}
		if q.Name+".sql" != path.Base(f.Name) {
			line := 1
			for _, h := range f.Fields {
				if h.Key == "name" {
					line = h.Line
				}
			}
			return nil, f.Errorf(line, "name %q does not match the file name", q.Name)
		}
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// parse reads a query file: its leading "-- key: value" lines, then the
// SQL. Free comment lines may follow the header.
func parse(f *sqlfile.File) (Query, error) {
	q := Query{SQL: f.Text}
	seen := map[string]bool{}
	if len(f.Sections) > 0 {
		return q, f.Errorf(f.Sections[0].Line, "a query file has no sections (-- @%s)", f.Sections[0].Kind)
	}
	for _, h := range f.Fields {
		val := h.Value
		switch h.Key {
		case "name":
			q.Name = val
		case "description":
			q.Description = val
		case "needs":
			if val != "metrics" {
				return q, f.Errorf(h.Line, "unknown needs %q", val)
			}
			q.NeedsMetrics = true
		case "source":
			if val != "metrics.Explain" {
				return q, f.Errorf(h.Line, "unknown source %q", val)
			}
			q.Explain = true
		case "param":
			p, err := parseParam(val)
			if err != nil {
				return q, f.Errorf(h.Line, "%w", err)
			}
			if seen[p.Name] {
				return q, f.Errorf(h.Line, "parameter %s twice", p.Name)
			}
			seen[p.Name] = true
			q.Params = append(q.Params, p)
		default:
			return q, f.Errorf(h.Line, "unknown header key %q", h.Key)
		}
	}
	if q.Name == "" || q.Description == "" {
		return q, f.Errorf(1, "a query needs -- name: and -- description:")
	}
	if !q.Explain {
		body := sqlfile.StripComments(f.Body)
		if strings.TrimSpace(body) == "" {
			return q, f.Errorf(1, "no SQL")
		}
		for _, p := range q.Params {
			if !strings.Contains(body, "$"+p.Name) {
				return q, f.Errorf(f.BodyLine, "parameter %s is not used as $%s", p.Name, p.Name)
			}
		}
	}
	return q, nil
}

// parseParam reads "NAME (必填) DOC", "NAME = DEFAULT DOC" or
// "NAME = DEFAULT [a|b] DOC".
func parseParam(s string) (Param, error) {
	var p Param
	name, rest, _ := strings.Cut(s, " ")
	p.Name = name
	if !isIdent(name) {
		return p, fmt.Errorf("bad parameter name %q", name)
	}
	rest = strings.TrimSpace(rest)
	switch {
	case strings.HasPrefix(rest, "(必填)"):
		p.Required = true
		rest = strings.TrimPrefix(rest, "(必填)")
	case strings.HasPrefix(rest, "="):
		rest = strings.TrimSpace(strings.TrimPrefix(rest, "="))
		p.Default, rest, _ = strings.Cut(rest, " ")
	default:
		return p, fmt.Errorf("parameter %s: say (必填) or = DEFAULT", name)
	}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "[") {
		list, after, ok := strings.Cut(rest[1:], "]")
		if !ok {
			return p, fmt.Errorf("parameter %s: unclosed [", name)
		}
		p.Choices = strings.Split(list, "|")
		rest = strings.TrimSpace(after)
		if !p.Required && !contains(p.Choices, p.Default) {
			return p, fmt.Errorf("parameter %s: default %q is not one of %v", name, p.Default, p.Choices)
		}
	}
	p.Doc = rest
	if p.Doc == "" {
		return p, fmt.Errorf("parameter %s has no description", name)
	}
	return p, nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r == '_':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
