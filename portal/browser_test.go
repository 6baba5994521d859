package portal

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"ufa/internal/testing/testbrowser"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// newBrowser starts a headless Chromium (testbrowser.Start) for the walk.
func newBrowser(t testing.TB) context.Context {
	t.Helper()
	return testbrowser.Start(t)
}

// TestBrowserWalk is the walk of portal.md in Chromium: a clerk uploads a
// faulty workbook, reads the errors, downloads the annotated copy,
// uploads the correction and sees 已接收; the office's board changes; a
// leader opens the dashboards and cannot reach any upload or file.
func TestBrowserWalk(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	monthDir, faults := generate(t, "沈阳市")
	e := newEnv(t, envOptions{real: true})
	ctx := newBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	downloads := t.TempDir()
	base := e.hs.URL
	C := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	login := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.Navigate(base+"/login"),
			chromedp.WaitVisible(C("#username")),
			chromedp.SendKeys(C("#username"), name),
			chromedp.SendKeys(C("#password"), testPassword),
			chromedp.Click(C("form.login button")),
			chromedp.WaitVisible(C("form.logout")),
		)
	}
	logout := chromedp.Steps(chromedp.Click(C("form.logout button")), chromedp.WaitVisible(C("#username")))
	upload := func(path string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.Navigate(base+"/cities/210100"),
			chromedp.WaitVisible(C("#workbook")),
			chromedp.SetUploadFiles(C("#workbook"), []string{path}),
			chromedp.Click(C("main form[enctype] button")),
			chromedp.WaitVisible(C("dd.st")),
		)
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(C(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	allowDownloads := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
		return err
	})
	bad := filepath.Join(faults, "E_REF.xlsx")
	if err := chromedp.Do(ctx, allowDownloads, login("sy")); err != nil {
		t.Fatal(err)
	}
	if title, _ := chromedp.Run(ctx, chromedp.Title()); !strings.Contains(title, "沈阳市") {
		t.Errorf("the clerk's first page: %q", title)
	}
	if err := chromedp.Do(ctx, upload(bad)); err != nil {
		t.Fatal(err)
	}
	result, report := text("dd.st"), text("pre.report")
	if !strings.HasPrefix(result, "被拒收") || !strings.Contains(report, "E_REF") {
		t.Fatalf("faulty workbook: %q\n%s", result, report)
	}
	// The annotated copy.
	if err := chromedp.Do(ctx, chromedp.Click(C(`a[href$="/annotated"]`))); err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := 0; i < 100 && len(got) == 0; i++ {
		time.Sleep(100 * time.Millisecond)
		got, _ = filepath.Glob(filepath.Join(downloads, "*_校验.xlsx"))
	}
	if len(got) != 1 {
		t.Errorf("annotated copy not downloaded: %v", got)
	}
	good := filepath.Join(monthDir, "沈阳市_2026-10.xlsx")
	if err := chromedp.Do(ctx, upload(good)); err != nil {
		t.Fatal(err)
	}
	if result := text("dd.st"); result != "已接收" {
		t.Fatalf("correction: %q\n%s", result, text("main"))
	}
	// The office's board.
	if err := chromedp.Do(ctx, logout, login("office1"), chromedp.Navigate(base+"/board?month=2026-10")); err != nil {
		t.Fatal(err)
	}
	if board := text("main table tbody tr:first-child"); !strings.Contains(board, "沈阳市") || !strings.Contains(board, "已接收") && !strings.Contains(board, "迟报") {
		t.Errorf("board row: %q", board)
	}
	// A leader: dashboards yes, uploads and files no.
	if err := chromedp.Do(ctx, logout, login("lead1"), chromedp.Navigate(base+"/dashboards"),
		chromedp.Click(C(`a[href$="/index.html"]`)), chromedp.WaitReady(C("body"))); err != nil {
		t.Fatal(err)
	}
	if title, _ := chromedp.Run(ctx, chromedp.Title()); title == "" || strings.Contains(title, "找不到") || strings.Contains(title, "没有权限") {
		t.Errorf("leader's dashboard: %q", title)
	}
	for _, p := range []string{"/attempts/1", "/attempts/1/original", "/cities/210100", "/accounts"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+p)); err != nil {
			t.Fatal(err)
		}
		if refused := text("main"); !strings.Contains(refused, "没有权限") {
			t.Errorf("leader reaching %s: %q", p, refused)
		}
	}
}
