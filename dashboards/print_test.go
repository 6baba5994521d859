package dashboards

import (
	"bytes"
	"context"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The width Chromium lays a printed page out at: A4 less the 12 mm side
// margins of dash.css's @page, in CSS pixels (96 per inch), whole.
const printWidthPx = (210 - 2*12) * 96 / 25.4 // 703

// What the paper holds: Chromium's A4 page is 594.96 pt wide (pdfinfo of
// its PDFs), a little less than 210 mm, and it clips at the margin, so a
// box as wide as the layout loses its right border on paper. Nothing may
// reach past this.
const printClipPx = 594.96/72*96 - 2*12*96/25.4 // 702.57

// printCheckJS lays the page out as printed (print media, the printable
// width) and lists what would be cut or overlap on paper:
//   - an element whose box reaches past the printable width (or left of
//     the page): Chromium clips it at the margin;
//   - a chart whose drawing (any SVG element) reaches outside its
//     container: cut by the container;
//   - in a heat map, two texts (axis labels, cell labels) whose boxes
//     overlap.
//
// It also returns the width it measured against, so the test can tell the
// emulation took effect.
const printCheckJS = `(() => {
  const W = CLIP, eps = 0.5;
  const out = {width: document.documentElement.clientWidth, problems: [], charts: 0, heatTexts: 0};
  const name = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (typeof el.className === 'string' && el.className) s += '.' + el.className.trim().split(/\s+/).join('.');
    const t = (el.textContent || '').trim().slice(0, 30);
    return t ? s + ' "' + t + '"' : s;
  };
  const shown = el => {
    const r = el.getBoundingClientRect();
    return (r.width > 0 || r.height > 0) && getComputedStyle(el).visibility !== 'hidden';
  };
  document.body.querySelectorAll('*').forEach(el => {
    if (!shown(el) || el.closest('div.chart')) return; // charts: below, against their container
    const r = el.getBoundingClientRect();
    // only the outermost element that reaches out (its children follow it)
    const p = el.parentElement, pr = p && p !== document.body ? p.getBoundingClientRect() : null;
    if ((r.right > W || r.left < 0) && !(pr && (pr.right > W || pr.left < 0))) {
      out.problems.push('past the printable width (' + r.left.toFixed(1) + '..' + r.right.toFixed(1) + ' of ' + W + ' px): ' + name(el));
    }
  });
  document.querySelectorAll('div.chart').forEach(box => {
    out.charts++;
    const b = box.getBoundingClientRect();
    if (b.right > W || b.left < 0) {
      out.problems.push(box.id + ': the chart (' + b.left.toFixed(1) + '..' + b.right.toFixed(1) + ') is wider than the printable width ' + W);
    }
    const svg = box.querySelector('svg');
    if (!svg) { out.problems.push(box.id + ': no SVG'); return; }
    const bad = [];
    svg.querySelectorAll('*').forEach(el => {
      if (el.tagName === 'defs' || el.closest('defs, clipPath')) return;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;
      if (r.left < b.left - eps || r.right > b.right + eps || r.top < b.top - eps || r.bottom > b.bottom + eps) {
        bad.push(el.tagName + (el.textContent ? ' "' + el.textContent.trim().slice(0, 20) + '"' : '') +
          ' at ' + [r.left - b.left, r.top - b.top, r.right - b.left, r.bottom - b.top].map(x => x.toFixed(1)).join(','));
      }
    });
    if (bad.length) out.problems.push(box.id + ': drawn outside its container (' + b.width.toFixed(1) + '×' + b.height.toFixed(1) + '): ' + bad.slice(0, 5).join('; '));
    const chart = window.echarts && echarts.getInstanceByDom(box);
    const series = chart ? (chart.getOption().series || []) : [];
    if (!series.some(s => s.type === 'heatmap')) return;
    const texts = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim() !== '')
      .map(t => ({t: t.textContent.trim(), r: t.getBoundingClientRect()}));
    out.heatTexts += texts.length;
    const overlaps = [];
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].r, c = texts[j].r;
        const w = Math.min(a.right, c.right) - Math.max(a.left, c.left);
        const h = Math.min(a.bottom, c.bottom) - Math.max(a.top, c.top);
        if (w > eps && h > eps) overlaps.push('"' + texts[i].t + '" and "' + texts[j].t + '"');
      }
    }
    if (overlaps.length) out.problems.push(box.id + ': ' + overlaps.length + ' overlapping texts: ' + overlaps.slice(0, 5).join('; '));
  });
  return out;
})()`

type printState struct {
	Width     float64  `json:"width"`
	Problems  []string `json:"problems"`
	Charts    int      `json:"charts"`
	HeatTexts int      `json:"heatTexts"`
}

// checkPrint opens a page, lays it out as printed on A4 and checks that
// nothing is cut or overlaps (printCheckJS), then prints it to PDF the way
// a reader's browser does (beforeprint, print, afterprint). It returns the
// PDF.
func checkPrint(t *testing.T, browser context.Context, dir, rel string) ([]byte, printState) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()
	pageURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, rel))}).String()
	media := func(m string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
			return err
		})
	}
	// The printed layout: print media at the printable width (the height
	// does not matter: the checks are horizontal, and within charts).
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(int64(math.Round(printWidthPx)), 1100),
		chromedp.Navigate(pageURL),
	); err != nil {
		t.Fatalf("%s: opening: %v", rel, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](allDrawnJS, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("%s: not every chart was drawn: %v", rel, err)
	}
	if err := chromedp.Do(ctx, media("print"),
		chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event('beforeprint'))`)); err != nil {
		t.Fatalf("%s: print media: %v", rel, err)
	}
	js := strings.Replace(printCheckJS, "CLIP", strconv.FormatFloat(printClipPx, 'f', 2, 64), 1)
	st, err := chromedp.Run(ctx, chromedp.Evaluate[printState](js))
	if err != nil {
		t.Fatalf("%s: measuring: %v", rel, err)
	}
	if st.Width != math.Round(printWidthPx) {
		t.Fatalf("%s: laid out %v px wide, want the printable width %.1f", rel, st.Width, printWidthPx)
	}
	if st.Charts == 0 {
		t.Errorf("%s: no chart measured", rel)
	}
	for _, p := range st.Problems {
		t.Errorf("%s printed on A4: %s", rel, p)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("%s: printing: %v", rel, err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event('afterprint'))`), media("")); err != nil {
		t.Errorf("%s: afterprint: %v", rel, err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("%s: the printout is not a PDF", rel)
	}
	return pdf, st
}

// TestPrint prints every page of a month (the overview, the quality page
// and the 14 city pages) on A4 and checks that nothing is cut at the
// margins, no chart draws outside its box, and no two texts of a heat map
// overlap. The PDFs go to UFA_SCREENSHOTS when set, to look at them.
func TestPrint(t *testing.T) {
	browser := newBrowser(t)
	d := fakeData(t)
	dir := t.TempDir()
	res, err := RenderData(context.Background(), d, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pages) != 2+len(d.Cities) {
		t.Fatalf("%d pages, want %d", len(res.Pages), 2+len(d.Cities))
	}
	shots := os.Getenv("UFA_SCREENSHOTS")
	heat := 0
	for _, p := range res.Pages {
		pdf, st := checkPrint(t, browser, dir, p)
		heat += st.HeatTexts
		if shots != "" {
			name := "print-" + strings.NewReplacer("/", "-", ".html", "").Replace(p) + ".pdf"
			if err := os.WriteFile(filepath.Join(shots, name), pdf, 0o644); err != nil {
				t.Error(err)
			}
		}
	}
	// The overview's and the quality page's heat maps were measured.
	if heat < 2*100 {
		t.Errorf("only %d heat-map texts measured", heat)
	}
}
