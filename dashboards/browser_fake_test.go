package dashboards

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBrowserFake opens the overview, the quality page and 沈阳市's page of
// a month of made-up values (with hostile organization names) in Chromium.
// It needs no warehouse; browser_warehouse_test.go opens every page of a
// generated year that went through ingest, transform and metrics.
func TestBrowserFake(t *testing.T) {
	browser := newBrowser(t)
	d := fakeData(t)
	dir := t.TempDir()
	res, err := RenderData(context.Background(), d, dir)
	if err != nil {
		t.Fatal(err)
	}
	shots := screenshotDir(t)
	if len(res.Pages) != 2+len(d.Cities) {
		t.Errorf("%d pages, want %d", len(res.Pages), 2+len(d.Cities))
	}
	for _, p := range []string{"index.html", "quality.html", "city/210100.html"} {
		shot := filepath.Join(shots, "fake-"+strings.NewReplacer("/", "-", ".html", "").Replace(p))
		start := time.Now()
		st := browse(t, browser, dir, p, shot)
		t.Logf("%s checked in %v", p, time.Since(start).Round(time.Millisecond))
		if p == "city/210100.html" {
			if !strings.Contains(st.Text, xssNames[0]) || !strings.Contains(st.Text, xssNames[1]) {
				t.Errorf("%s does not show the hostile names as text", p)
			}
			if !strings.Contains(st.Tips["city-noparty"], xssNames[0]) {
				t.Errorf("%s: the tooltip does not show the hostile name as text: %q", p, st.Tips["city-noparty"])
			}
		}
	}
	t.Logf("screenshots in %s", shots)
}
