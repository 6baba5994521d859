package portal

import (
	"archive/tar"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"ufa/queries"
)

func TestOfficePages(t *testing.T) {
	e := newEnv(t, envOptions{})
	id := e.addAttempt("210100")
	office := e.login("office1")

	// Accounts: a new clerk gets a password shown once, and can log in.
	res := office.post("/accounts", url.Values{"name": {"newclerk"}, "role": {"city"}, "city": {"210300"}})
	m := regexp.MustCompile(`<code>([A-Za-z0-9]+)</code>`).FindStringSubmatch(res.body)
	if res.StatusCode != 200 || m == nil {
		t.Fatalf("add account: %d", res.StatusCode)
	}
	clerk := e.anon()
	if r := clerk.post("/login", url.Values{"username": {"newclerk"}, "password": {m[1]}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("login with the new password: %d", r.StatusCode)
	}
	if body := office.get("/accounts").body; strings.Contains(body, m[1]) {
		t.Error("the password is shown again")
	}
	if r := office.post("/accounts/newclerk/disable", nil); r.StatusCode != 200 {
		t.Errorf("disable: %d", r.StatusCode)
	}
	if r := clerk.get("/cities/210300"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a disabled account's session still works: %d", r.StatusCode)
	}

	// Queries: a named query as a table and as CSV; no free SQL anywhere.
	q := queries.List()[0]
	page := office.get("/queries/" + q.Name)
	if page.StatusCode != 200 || !strings.Contains(page.body, `action="/queries/`+q.Name+`"`) {
		t.Fatalf("query form: %d", page.StatusCode)
	}
	if r := office.get("/queries/" + q.Name + "?run=1&sql=SELECT+1"); r.StatusCode >= 500 {
		t.Errorf("query run: %d", r.StatusCode)
	}

	// Backup: one tar with the warehouse export and the originals.
	res = office.post("/backup", nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/x-tar" {
		t.Fatalf("backup: %d %s", res.StatusCode, res.body)
	}
	names := map[string]bool{}
	tr := tar.NewReader(bytes.NewReader([]byte(res.body)))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names[h.Name] = true
	}
	a, _ := getAttempt(t.Context(), e.w.DB(), id)
	for _, want := range []string{"说明.txt", "warehouse/schema.sql", "warehouse/load.sql", "files/" + a.SHA256} {
		if !names[want] {
			t.Errorf("backup lacks %s (has %v)", want, names)
		}
	}

	// The audit log records the downloads and account changes, and
	// exports as CSV.
	csv := office.get("/audit.csv").body
	for _, action := range []string{"account_add", "account_disable", "download_backup", "login"} {
		if !strings.Contains(csv, ","+action+",") {
			t.Errorf("audit log lacks %s", action)
		}
	}
}
