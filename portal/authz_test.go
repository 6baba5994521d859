package portal

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"strings"
	"testing"
	"ufa/queries"
)

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// who is a column of the matrix.
type who struct {
	label string
	login string // "" : no session
	role  Role
	own   bool // for a city: the object is its own city's
}

var matrixWho = []who{
	{"no session", "", "", false},
	{"office", "office1", Office, false},
	{"leader", "lead1", Leader, false},
	{"city own", "sy", City, true},
	{"city other", "sy", City, false},
}

var wildcard = regexp.MustCompile(`\{([a-z]+)(\.\.\.)?\}`)

// TestAuthorizationMatrix: every route of the table × every role (and no
// session) × own or another city's object, with the status the route's
// rule says, generated from the table.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, envOptions{})
	own, other := "210100", "210200"
	ids := map[string]string{own: itoa(e.addAttempt(own)), other: itoa(e.addAttempt(other))}
	subs := map[string]string{own: itoa(e.addSubmission(own)), other: itoa(e.addSubmission(other))}
	dash := e.srv.cfg.Dashboards
	for _, f := range []string{"index.html", "quality.html", "city/210100.html", "city/210200.html", "assets/x.js"} {
		writeFile(t, filepath.Join(dash, "2026-10", f), "<!DOCTYPE html><title>x</title>")
	}
	clients := map[string]*client{}
	sessionFor := func(w who) *client {
		if w.login == "" {
			return e.anon()
		}
		if clients[w.login] == nil {
			clients[w.login] = e.login(w.login)
		}
		return clients[w.login]
	}
	for _, rt := range Routes() {
		if !rt.Public && len(rt.Roles) == 0 {
			t.Errorf("route %s %s has no rule (roles or public)", rt.Method, rt.Pattern)
			continue
		}
		for _, w := range matrixWho {
			if w.role == City && !w.own && rt.Scope == nil {
				continue // no object: "own" covers the city role
			}
			path, ok := fill(rt.Pattern, func(name string) string {
				city := own
				if w.role == City && !w.own || w.role != City && w.role != "" && rt.Scope != nil {
					// office and leader reach for another city's object
					city = other
				}
				switch name {
				case "city":
					return city
				case "id":
					if strings.HasPrefix(rt.Pattern, "/submissions/") {
						return subs[city]
					}
					return ids[city]
				case "page":
					return city + ".html"
				case "month":
					return "2026-10"
				case "file":
					return "x.js"
				case "name":
					if strings.HasPrefix(rt.Pattern, "/queries/") {
						return queries.List()[0].Name
					}
					return "victim"
				}
				return ""
			})
			if !ok {
				t.Errorf("route %s %s: the matrix does not know how to fill its wildcards", rt.Method, rt.Pattern)
				continue
			}
			c := sessionFor(w)
			var res response
			if rt.Method == http.MethodGet {
				res = c.get(path)
			} else if rt.Multipart {
				var buf bytes.Buffer
				mw := multipart.NewWriter(&buf)
				mw.WriteField("csrf", c.csrf)
				mw.Close()
				req, _ := http.NewRequest("POST", e.hs.URL+path, &buf)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				res = c.do(req)
			} else {
				res = c.post(path, url.Values{})
			}
			if rt.Pattern == "/logout" && w.login != "" {
				delete(clients, w.login) // the session ended
			}
			name := rt.Method + " " + path + " as " + w.label
			loc := res.Header.Get("Location")
			switch {
			case res.StatusCode >= 500:
				t.Errorf("%s: %d %s", name, res.StatusCode, res.body)
			case rt.Public:
				// no rule to check
			case w.login == "":
				if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
					t.Errorf("%s: %d %s, want 303 to /login", name, res.StatusCode, loc)
				}
			case !rt.allows(w.role):
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", name, res.StatusCode)
				}
			case rt.Scope != nil && w.role == City && !w.own:
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("%s: %d, want 404", name, res.StatusCode)
				}
			default:
				if res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusNotFound || strings.HasPrefix(loc, "/login?next=") {
					t.Errorf("%s: %d %s, want the handler's answer", name, res.StatusCode, loc)
				}
			}
		}
	}
	// A nonexistent object is 404 for everyone allowed the route.
	office := e.login("office1")
	for _, p := range []string{"/attempts/999999", "/attempts/x", "/submissions/999999", "/submissions/x", "/cities/999999", "/cities/沈阳市", "/dashboards/2026-10/city/999999.html", "/queries/nope"} {
		if res := office.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("office GET %s: %d, want 404", p, res.StatusCode)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// fill replaces a pattern's wildcards; false when one is unknown.
func fill(pattern string, value func(string) string) (string, bool) {
	ok := true
	p := wildcard.ReplaceAllStringFunc(strings.TrimSuffix(pattern, "{$}"), func(m string) string {
		v := value(wildcard.FindStringSubmatch(m)[1])
		if v == "" {
			ok = false
		}
		return v
	})
	return p, ok
}
