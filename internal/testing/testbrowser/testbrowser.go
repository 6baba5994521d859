package testbrowser

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium returns the path of Debian's Chromium. Without it the test
// skips, except in CI (CI set), where scripts/deps.sh installs it and a
// skip would hide a failure.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI is set: the browser test must run in CI (scripts/deps.sh installs it)")
	}
	t.Skip("chromium is not installed (apt-get install chromium, or bash scripts/deps.sh): skipping the browser test")
	return ""
}

// Browser is a headless Chromium with one tab.
type Browser struct {
	Ctx context.Context
	mu  sync.Mutex
	out []string // URLs requested that are not local
	log []string // console messages and uncaught exceptions
}

// Options are the allocator options every browser test starts Chromium
// with: Debian's Chromium (Chromium skips or fails the test without it),
// headless, a fresh profile, and none of its own background traffic, so
// that every request it makes is one a page asked for.
func Options(t testing.TB) []chromedp.ExecAllocatorOption {
	t.Helper()
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium(t)),
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
}

// Start starts Chromium with Options (and extra) and one tab, failing the
// test when it does not start; it is closed when the test ends.
func Start(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(Options(t), extra...)...)
	ctx, cancel := chromedp.NewContext(alloc)
	if err := chromedp.Do(ctx); err != nil { // start it now, so a broken installation fails here
		cancel()
		cancelAlloc()
		t.Fatalf("starting chromium: %v", err)
	}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

// Offline starts Chromium with a fresh profile, no background traffic of
// its own and no way out: a proxy that does not exist and a resolver that
// knows no name.
func Offline(t testing.TB) *Browser {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(Options(t),
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
	)...)
	ctx, cancel := chromedp.NewContext(alloc)
	b := &Browser{Ctx: ctx}
	err := chromedp.Do(ctx) // start it now, so a broken installation fails here
	if err == nil {
		err = chromedp.Listen(ctx, func(ev any) {
			b.mu.Lock()
			defer b.mu.Unlock()
			switch e := ev.(type) {
			case *network.EventRequestWillBeSent:
				u := e.Request.URL
				if !strings.HasPrefix(u, "file:") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
					b.out = append(b.out, u)
				}
			case *runtime.EventConsoleAPICalled:
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				b.log = append(b.log, "console."+string(e.Type)+": "+strings.Join(parts, " "))
			case *runtime.EventExceptionThrown:
				b.log = append(b.log, "exception: "+e.ExceptionDetails.Text)
			}
		})
	}
	if err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("starting chromium: %v", err)
	}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return b
}

// Requests returns the URLs requested so far that were not for a local
// file (file:) or data already in the page (data:, blob:).
func (b *Browser) Requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.out...)
}

// Log returns the page's console messages and uncaught exceptions so far.
func (b *Browser) Log() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.log...)
}
