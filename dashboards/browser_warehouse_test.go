package dashboards

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWarehouseDashboards renders the dashboards of December for a small
// generated year that went through ingest, transform and metrics, twice
// (the bytes must be the same), and opens every page in Chromium.
func TestWarehouseDashboards(t *testing.T) {
	requireAssets(t)
	browser := newBrowser(t) // first: skips early when there is no browser
	dir := t.TempDir()
	start := time.Now()
	db := buildYear(t, dir, 0.02, true)
	t.Logf("generated, ingested and computed a year in %v", time.Since(start).Round(time.Millisecond))
	w := openRead(t, db)
	ctx := context.Background()

	render := func(out string) (*Data, *Result) {
		d, err := Load(ctx, w.DB(), LoadOptions{Month: "2026-12"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := RenderData(ctx, d, out)
		if err != nil {
			t.Fatal(err)
		}
		return d, res
	}
	out, again := filepath.Join(dir, "out"), filepath.Join(dir, "again")
	d, res := render(out)
	render(again)
	sameTrees(t, out, again)
	checkNoRemote(t, out)

	if len(d.Months) != 12 || d.Months[0] != "2026-01" {
		t.Errorf("trend window %v, want the 12 months of 2026", d.Months)
	}
	if d.Date == "" || !strings.HasPrefix(d.Date, "2027-01") {
		t.Errorf("derived date %q, want the latest filing date of December's workbooks (January 2027)", d.Date)
	}
	if len(d.Scheme.Targets) != 11 {
		t.Errorf("scheme has %d targets, want the 11 of the default scheme", len(d.Scheme.Targets))
	}
	sy := d.Details["210100"]
	if sy == nil || len(sy.NoPartyOrg) == 0 || sy.NoPartyOrg[0].Name != xssNames[0] || sy.NoPartyOrg[1].Name != xssNames[1] {
		t.Fatalf("沈阳市's largest organizations without a Party organization are not the planted names: %+v", sy)
	}
	if len(sy.OrgByType) == 0 || len(sy.OrgBySector) == 0 || len(sy.RepByStatus) == 0 || len(sy.RepByEducation) == 0 {
		t.Errorf("沈阳市's breakdowns are empty: %+v", sy)
	}
	// Every city's breakdowns add up to December's organizations and
	// representatives as metrics counts them (its own queries), not to
	// the year's: a breakdown over every month up to December would be
	// about twelve times too large.
	sum := func(cs []Count) float64 {
		n := 0
		for _, c := range cs {
			n += c.N
		}
		return float64(n)
	}
	for _, c := range d.Cities {
		det := d.Details[c.Code]
		orgs, ok1 := d.Values.Get("2026-12", c.Code, "org_count")
		reps, ok2 := d.Values.Get("2026-12", c.Code, "rep_count")
		if !ok1 || !ok2 {
			continue // did not report December
		}
		if det == nil {
			t.Errorf("%s: no breakdowns", c.Name)
			continue
		}
		for _, b := range []struct {
			what string
			got  []Count
			want float64
		}{{"organizations by type", det.OrgByType, orgs}, {"organizations by sector", det.OrgBySector, orgs},
			{"representatives by status", det.RepByStatus, reps}, {"representatives by education", det.RepByEducation, reps}} {
			if sum(b.got) != b.want {
				t.Errorf("%s: %s add up to %v, want December's %v", c.Name, b.what, sum(b.got), b.want)
			}
		}
	}
	var hostileSeen bool
	for _, s := range d.Submissions {
		if s.File == hostileFileName && s.Outcome == "unchanged" && s.City == "210100" {
			hostileSeen = true
		}
	}
	if !hostileSeen {
		t.Error("the resubmission under a hostile file name is not in the history")
	}

	shots := screenshotDir(t)
	// The pages in parallel tabs (as many as -parallel allows), each its own
	// subtest; the group returns when all are done.
	t.Run("pages", func(t *testing.T) {
		for _, p := range res.Pages {
			t.Run(p, func(t *testing.T) {
				t.Parallel()
				shot := ""
				if p == "index.html" || p == "quality.html" || p == "city/210100.html" {
					shot = filepath.Join(shots, "year-"+strings.NewReplacer("/", "-", ".html", "").Replace(p))
				}
				st := browse(t, browser, out, p, shot)
				if p == "city/210100.html" {
					for _, s := range append(append([]string{}, xssNames...), hostileFileName) {
						if !strings.Contains(st.Text, s) {
							t.Errorf("%s does not show %q as text", p, s)
						}
					}
					if !strings.Contains(st.Tips["city-noparty"], xssNames[0]) {
						t.Errorf("%s: the tooltip does not show the hostile name as text: %q", p, st.Tips["city-noparty"])
					}
				}
			})
		}
	})
	t.Logf("screenshots in %s", shots)
}
