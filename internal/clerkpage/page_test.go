package clerkpage_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ufa/internal/clerk"
	"ufa/internal/clerkpage"
	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/internal/testing/testbrowser"
)

// goBuild runs go build from the repository's root (the test runs in
// internal/clerkpage) with extra environment.
func goBuild(t testing.TB, out, pkg string, env ...string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(append(os.Environ(), "CGO_ENABLED=0"), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s %v: %v\n%s", pkg, env, err, b)
	}
}

// buildPage builds the page as make validator does and returns its path.
func buildPage(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	wasmPath := filepath.Join(dir, "ufa.wasm")
	goBuild(t, wasmPath, "./cmd/ufa-wasm", "GOOS=js", "GOARCH=wasm")
	wasm, err := os.ReadFile(wasmPath)
	if err != nil {
		t.Fatal(err)
	}
	exec, err := clerkpage.WasmExec(runtime.GOROOT())
	if err != nil {
		t.Fatal(err)
	}
	page, err := clerkpage.Build(wasm, exec)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ufa-validator.html")
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// buildCLI builds the portable ufa (no cgo), the reference the page is
// held to.
func buildCLI(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ufa")
	goBuild(t, bin, "./cmd/ufa")
	return bin
}

// inputs fills dir with the workbooks the page is given: every workbook of
// the wild corpus, every generated fault workbook (exactly one finding of
// its code) and one valid month, under distinct names. It returns the
// names.
func inputs(t testing.TB, dir string) []string {
	t.Helper()
	var names []string
	corpus := testbook.CorpusDir(t)
	ents, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".xlsx") {
			continue
		}
		copyFile(t, filepath.Join(corpus, e.Name()), filepath.Join(dir, e.Name()))
		names = append(names, e.Name())
	}
	gdir := t.TempDir()
	sum, err := gen.Generate(context.Background(), spec.Load(), gen.Options{
		Out: gdir, From: "2026-01", To: "2026-01", Seed: 5, Scale: 0.01, Faults: true, Cities: []string{"大连"}, Workers: 1,
	}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	faults := 0
	for _, f := range sum.Files {
		var name string
		switch f.Kind {
		case gen.KindFault:
			name = "fault_" + f.Code + ".xlsx"
			faults++
		case gen.KindRegular:
			name = "valid_" + filepath.Base(f.Path)
		default:
			continue
		}
		copyFile(t, filepath.Join(gdir, filepath.FromSlash(f.Path)), filepath.Join(dir, name))
		names = append(names, name)
	}
	if faults != len(gen.FaultCodes) {
		t.Fatalf("gen wrote %d fault workbooks, want %d", faults, len(gen.FaultCodes))
	}
	return names
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// cliResults runs `ufa validate --json --annotate` on names (in dir, so
// that each JSON line names the file as the page does: by its name) and
// returns each file's JSON line and annotated copy (nil when none).
func cliResults(t testing.TB, bin, dir string, names []string) (lines map[string]string, copies map[string][]byte) {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command(bin, append([]string{"validate", "--json", "--annotate", out}, names...)...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Exit 1 (workbooks with errors) or 2: a few wild workbooks get no
	// annotated copy (excelize cannot write them back faithfully); the
	// page must then offer none either.
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok && err != nil || ok && ee.ExitCode() == 0 {
		t.Fatalf("ufa validate: %v (want exit 1 or 2)\n%s", err, stderr.String())
	}
	lines = map[string]string{}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 256<<20)
	for sc.Scan() {
		var j struct{ File string }
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			t.Fatalf("ufa validate --json: %v in %q", err, sc.Text())
		}
		lines[j.File] = sc.Text() + "\n"
	}
	if len(lines) != len(names) {
		t.Fatalf("ufa validate --json gave %d lines for %d files", len(lines), len(names))
	}
	copies = map[string][]byte{}
	for _, n := range names {
		if b, err := os.ReadFile(filepath.Join(out, clerk.CopyName(n))); err == nil {
			copies[n] = b
		}
	}
	return lines, copies
}

// pageResult is what the page keeps of one validated file.
type pageResult struct {
	Name  string `json:"name"`
	JSON  string `json:"json"`
	Error string `json:"error"`
	Copy  string `json:"copy"` // base64
}

// openPage loads the page from disk and waits until the validator is
// loaded.
func openPage(t testing.TB, b *testbrowser.Browser, page string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.Navigate("file://"+page),
		chromedp.WaitReady(chromedp.CSS(`html[data-state="ready"]`)),
	); err != nil {
		state, _ := chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS("#status")))
		t.Fatalf("the page did not load its validator: %v (status: %s)", err, state)
	}
}

// validateInPage gives the page files through its file picker and waits
// until it has shown every result.
func validateInPage(t testing.TB, b *testbrowser.Browser, paths []string, timeout time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.state = "ready", document.getElementById("pick").value = "", undefined`),
		chromedp.SetUploadFiles(chromedp.CSS("#pick"), paths),
		chromedp.WaitReady(chromedp.CSS(`html[data-state="done"]`)),
	); err != nil {
		status, _ := chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS("#status")))
		t.Logf("status: %s\nconsole:\n%s", status, strings.Join(b.Log(), "\n"))
		t.Fatalf("validating %d files in the page: %v", len(paths), err)
	}
}

// TestPageMatchesCLI opens the page from file:// in Chromium cut off from
// the network, gives it the wild corpus and every generated fault
// workbook, and holds what it finds to `ufa validate --json` and its
// annotated copies to the bytes of `--annotate`, file by file; its blank
// template to `ufa template`'s. No request may leave the page.
func TestPageMatchesCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the page and starts Chromium")
	}
	b := testbrowser.Offline(t)
	page := buildPage(t)
	bin := buildCLI(t)
	dir := t.TempDir()
	names := inputs(t, dir)
	if only := os.Getenv("UFA_PAGE_ONLY"); only != "" { // while debugging: the files whose names contain it
		var some []string
		for _, n := range names {
			if strings.Contains(n, only) {
				some = append(some, n)
			}
		}
		names = some
	}
	wantJSON, wantCopy := cliResults(t, bin, dir, names)

	openPage(t, b, page)
	var paths []string
	for _, n := range names {
		paths = append(paths, filepath.Join(dir, n))
	}
	validateInPage(t, b, paths, 15*time.Minute)

	count, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`ufaResults.length`))
	if err != nil {
		t.Fatal(err)
	}
	if count != len(names) {
		t.Fatalf("the page shows %d results for %d files", count, len(names))
	}
	mismatched := 0
	for i := range count {
		expr := fmt.Sprintf(`(() => { const r = ufaResults[%d]; return {name: r.name, json: r.json || "", error: r.error || "", copy: r.copy ? r.copy.toBase64() : ""}; })()`, i)
		r, err := chromedp.Run(b.Ctx, chromedp.Evaluate[pageResult](expr))
		if err != nil {
			t.Fatal(err)
		}
		if r.Error != "" {
			t.Errorf("%s: the page could not validate it: %s", r.Name, r.Error)
			continue
		}
		if r.JSON != wantJSON[r.Name] {
			mismatched++
			if mismatched <= 5 {
				t.Errorf("%s: the page found\n%s\nufa validate --json found\n%s", r.Name, r.JSON, wantJSON[r.Name])
			}
		}
		got, err := base64.StdEncoding.DecodeString(r.Copy)
		if err != nil {
			t.Fatal(err)
		}
		switch want, ok := wantCopy[r.Name]; {
		case !ok && len(got) > 0:
			t.Errorf("%s: the page offers an annotated copy, ufa validate --annotate wrote none", r.Name)
		case ok && len(got) == 0:
			t.Errorf("%s: ufa validate --annotate wrote an annotated copy, the page offers none", r.Name)
		case ok && !bytes.Equal(got, want):
			t.Errorf("%s: the page's annotated copy (%d bytes) differs from ufa validate --annotate's (%d bytes)", r.Name, len(got), len(want))
		}
	}
	if mismatched > 0 {
		t.Errorf("%d of %d files: findings differ from ufa validate --json", mismatched, count)
	}
	if len(wantCopy) == 0 {
		t.Error("no annotated copy at all: the comparison proved nothing")
	}

	// What a clerk reads: per file the verdict, per sheet the findings.
	text, err := chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS("#results")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"可以上报", "不能上报", "【社会组织】", "下载标注副本"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page's results do not say %q", want)
		}
	}

	// The template button's workbook is ufa template's.
	tpl := filepath.Join(t.TempDir(), "t.xlsx")
	if out, err := exec.Command(bin, "template", "-o", tpl).CombinedOutput(); err != nil {
		t.Fatalf("ufa template: %v\n%s", err, out)
	}
	wantTpl, err := os.ReadFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	tplB64, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`ufa.template().then((a) => a.toBase64())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if gotTpl, _ := base64.StdEncoding.DecodeString(tplB64); !bytes.Equal(gotTpl, wantTpl) {
		t.Errorf("the page's template (%d bytes) differs from ufa template's (%d bytes)", len(gotTpl), len(wantTpl))
	}

	if reqs := b.Requests(); len(reqs) > 0 {
		t.Errorf("the page made %d requests that left the PC: %v", len(reqs), reqs)
	}
	// And the page could not have: its CSP refuses any connection.
	probe := `new Promise((resolve) => {
		document.addEventListener("securitypolicyviolation", (e) => resolve(e.effectiveDirective), {once: true});
		fetch("http://192.0.2.1/").catch(() => {});
		setTimeout(() => resolve("no violation"), 3000);
	})`
	directive, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](probe, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if directive != "connect-src" {
		t.Errorf("a fetch from the page was not refused by its CSP (got %q)", directive)
	}

	// UFA_SCREENSHOT=../../docs/validator.png writes the README's picture:
	// a flawed and a valid workbook as a clerk sees them.
	if shot := os.Getenv("UFA_SCREENSHOT"); shot != "" {
		var two []string
		for _, n := range []string{"fault_E_CREDIT_CODE.xlsx", "fault_W_OUTLIER.xlsx"} {
			two = append(two, filepath.Join(dir, n))
		}
		for _, n := range names {
			if strings.HasPrefix(n, "valid_") {
				two = append(two, filepath.Join(dir, n))
			}
		}
		validateInPage(t, b, two, 5*time.Minute)
		png, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
