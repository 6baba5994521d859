package portal

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"ufa/internal/gen"
	"ufa/internal/spec"
)

// BenchmarkUploadToResult: a province-sized workbook (沈阳市 at scale 5.2,
// about 30,000 organizations) from the upload request to the result page's
// redirect, on a new warehouse each time: stored, validated, loaded, the
// month computed and its dashboards rendered (portal.md: under 5 s on 2
// cores).
func BenchmarkUploadToResult(b *testing.B) {
	dir := filepath.Join(os.TempDir(), "ufa-portal-bench-30k")
	file := filepath.Join(dir, "2026-10", "沈阳市_2026-10.xlsx")
	if _, err := os.Stat(file); err != nil {
		if _, err := gen.Generate(context.Background(), spec.Load(), gen.Options{Out: dir, From: "2026-10", To: "2026-10", Scale: 5.2, Seed: 1, Cities: []string{"沈阳市"}}, nil); err != nil {
			b.Fatal(err)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		e := newEnv(b, envOptions{real: true})
		c := e.login("sy")
		b.StartTimer()
		res := c.upload("210100", "2026-10", "沈阳市_2026-10.xlsx", data)
		if res.StatusCode != http.StatusSeeOther {
			b.Fatalf("upload: %d", res.StatusCode)
		}
		b.StopTimer()
		if page := c.get(res.Header.Get("Location")).body; !containsAny(page, "<dd class=\"st\">已接收") {
			b.Fatal("no result")
		}
		b.StartTimer()
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if len(sub) > 0 && len(s) >= len(sub) {
			for i := 0; i+len(sub) <= len(s); i++ {
				if s[i:i+len(sub)] == sub {
					return true
				}
			}
		}
	}
	return false
}

// BenchmarkDashboardRequests: a leader's requests for a month's overview
// page, in parallel (requests per second = 1e9 / ns/op).
func BenchmarkDashboardRequests(b *testing.B) {
	e := newEnv(b, envOptions{})
	writeFile(b, filepath.Join(e.srv.cfg.Dashboards, "2026-10", "index.html"), "<!DOCTYPE html><title>x</title>"+string(make([]byte, 200<<10)))
	c := e.login("lead1")
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := c.c.Get(e.hs.URL + "/dashboards/2026-10/index.html")
			if err != nil {
				b.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
}
