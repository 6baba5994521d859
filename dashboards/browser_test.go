package dashboards

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"ufa/internal/testing/testbrowser"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// newBrowser starts a headless Chromium with a fresh profile and no
// background traffic of its own (testbrowser.Start), so that every request
// it makes is one the pages asked for.
func newBrowser(t testing.TB) context.Context {
	t.Helper()
	return testbrowser.Start(t)
}

// pageState is what the page reports about itself once drawn.
type pageState struct {
	Charts []string          `json:"charts"` // ids of the chart containers
	Empty  []string          `json:"empty"`  // containers with no SVG or canvas drawn
	Tips   map[string]string `json:"tips"`   // chart id → text of its tooltip for the first item
	XSS    bool              `json:"xss"`    // window.__xss was set
	Text   string            `json:"text"`   // the page's visible text
}

// inspectJS checks every chart container, then shows the tooltip of every
// data item of every chart (the tooltips are HTML: a name treated as markup
// would run there) and reads back the first tooltip's text.
const inspectJS = `(() => {
  const out = {charts: [], empty: [], tips: {}, xss: false, text: ''};
  document.querySelectorAll('div.chart').forEach(el => {
    out.charts.push(el.id);
    const drawn = el.querySelector('svg *, canvas');
    const chart = window.echarts && echarts.getInstanceByDom(el);
    if (!drawn || !chart) { out.empty.push(el.id); return; }
    const series = chart.getOption().series || [];
    series.forEach((s, si) => {
      const n = Array.isArray(s.data) ? s.data.length : 0;
      for (let i = 0; i < n; i++) chart.dispatchAction({type: 'showTip', seriesIndex: si, dataIndex: i});
    });
    if (series.length && Array.isArray(series[0].data) && series[0].data.length) {
      chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
      out.tips[el.id] = el.innerText;
    }
    chart.dispatchAction({type: 'hideTip'});
  });
  out.xss = typeof window.__xss !== 'undefined';
  out.text = document.body.innerText;
  return out;
})()`

// allDrawnJS is true once every chart container holds a drawn SVG.
const allDrawnJS = `Array.from(document.querySelectorAll('div.chart')).every(el => el.querySelector('svg *, canvas'))`

// browse opens one page from disk and checks it as a reader's browser would
// see it: every chart drawn, nothing logged as an error, no request outside
// the output folder, no injected script run. It returns the page's state for
// further checks, and writes a screenshot (and an A4 PDF) when shot is set.
func browse(t *testing.T, browser context.Context, dir, rel, shot string) pageState {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()

	var mu sync.Mutex
	var problems, requests []string
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			requests = append(requests, e.Request.URL)
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text+" "+describe(e.ExceptionDetails.Exception))
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, describe(a))
				}
				problems = append(problems, "console."+string(e.Type)+": "+strings.Join(parts, " "))
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				problems = append(problems, "log ("+string(e.Entry.Source)+"): "+e.Entry.Text+" "+e.Entry.URL)
			}
		}
	})
	if err != nil {
		t.Fatalf("%s: listening: %v", rel, err)
	}
	pageURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, rel))}).String()
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
		t.Fatalf("%s: opening: %v", rel, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](allDrawnJS, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Errorf("%s: not every chart was drawn: %v", rel, err)
	}
	if shot != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Errorf("%s: screenshot: %v", rel, err)
		} else if err := os.WriteFile(shot+".png", png, 0o644); err != nil {
			t.Error(err)
		}
		// A browser fires beforeprint when a reader prints; the protocol's
		// PrintToPDF does not, so the test fires it as the browser would.
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event('beforeprint'))`)); err != nil {
			t.Errorf("%s: beforeprint: %v", rel, err)
		}
		pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event('afterprint'))`)); err != nil {
			t.Errorf("%s: afterprint: %v", rel, err)
		}
		if err != nil {
			t.Errorf("%s: printing: %v", rel, err)
		} else if err := os.WriteFile(shot+".pdf", pdf, 0o644); err != nil {
			t.Error(err)
		}
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](inspectJS))
	if err != nil {
		t.Fatalf("%s: inspecting: %v", rel, err)
	}
	// Read window.__xss once more after the tooltips: the listener has seen
	// every event sent before this reply.
	xss, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.__xss !== 'undefined'`))
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	st.XSS = st.XSS || xss

	if len(st.Charts) == 0 {
		t.Errorf("%s: no chart container", rel)
	}
	if len(st.Empty) > 0 {
		t.Errorf("%s: charts with nothing drawn: %v", rel, st.Empty)
	}
	if st.XSS {
		t.Errorf("%s: an injected script ran (window.__xss is set)", rel)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("%s: %s", rel, p)
	}
	root := (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir) + "/"}).String()
	if len(requests) == 0 {
		t.Errorf("%s: no request seen at all; the network listener is broken", rel)
	}
	for _, r := range requests {
		if !strings.HasPrefix(r, root) {
			t.Errorf("%s: request outside the output folder: %s", rel, r)
		}
	}
	return st
}

func describe(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if o.Description != "" {
		return o.Description
	}
	return strings.Trim(string(o.Value), `"`)
}

// screenshotDir is where the screenshots go: UFA_SCREENSHOTS if set (to
// look at them), else a temporary folder.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("UFA_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// checkNoRemote asserts that no page, style or script of ours names a remote
// URL, and that ECharts is written byte for byte as fetched (its only URLs
// are XML namespaces and its licence, which are never fetched).
func checkNoRemote(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch rel {
		case filepath.Join("assets", "echarts.min.js"), filepath.Join("assets", "ECHARTS-LICENSE.txt"), filepath.Join("assets", "ECHARTS-NOTICE.txt"):
			want, err := vendorFile(filepath.Base(rel))
			if err != nil {
				return err
			}
			if !bytes.Equal(b, want) {
				t.Errorf("%s differs from the fetched file", rel)
			}
			return nil
		}
		low := bytes.ToLower(b)
		for _, s := range []string{"http:", "https:", "//cdn", "go-echarts.github.io"} {
			if bytes.Contains(low, []byte(s)) {
				t.Errorf("%s names a remote location (%q)", rel, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
