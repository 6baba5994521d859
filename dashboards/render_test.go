package dashboards

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// readTree reads every file under dir, by path relative to it.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameTrees asserts that two renderings are byte for byte the same.
func sameTrees(t *testing.T, a, b string) {
	t.Helper()
	ta, tb := readTree(t, a), readTree(t, b)
	var names []string
	for n := range ta {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(ta) != len(tb) {
		t.Errorf("%d files in one run, %d in the other", len(ta), len(tb))
	}
	for _, n := range names {
		if !bytes.Equal(ta[n], tb[n]) {
			t.Errorf("%s differs between two runs", n)
		}
	}
}

func TestRenderIsStable(t *testing.T) {
	d := fakeData(t)
	a, b := t.TempDir(), t.TempDir()
	if _, err := RenderData(context.Background(), d, a); err != nil {
		t.Fatal(err)
	}
	// A second, independently built Data: map order and the like must not
	// leak into the output.
	if _, err := RenderData(context.Background(), fakeData(t), b); err != nil {
		t.Fatal(err)
	}
	sameTrees(t, a, b)
}

func TestRenderPages(t *testing.T) {
	d := fakeData(t)
	dir := t.TempDir()
	res, err := RenderData(context.Background(), d, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"index.html", "quality.html"}
	for _, c := range d.Cities {
		want = append(want, "city/"+c.Code+".html")
	}
	sort.Strings(want)
	if strings.Join(res.Pages, ",") != strings.Join(want, ",") {
		t.Errorf("pages %v, want %v", res.Pages, want)
	}
	checkNoRemote(t, dir)
	files := readTree(t, dir)
	city := string(files["city/210100.html"])
	for _, name := range xssNames {
		if strings.Contains(city, name) {
			t.Errorf("city page holds the name %q unescaped", name)
		}
	}
	for _, s := range []string{
		`&lt;/script&gt;&lt;script&gt;window.__xss=1&lt;/script&gt;`,             // the table cell, as text
		`\u003c/script\u003e\u003cscript\u003ewindow.__xss=1\u003c/script\u003e`, // the chart option, as JSON
		`&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;`,
	} {
		if !strings.Contains(city, s) {
			t.Errorf("city page lacks %s", s)
		}
	}
	index := string(files["index.html"])
	for _, s := range []string{"全省总览", "2026年10月", "生成日期：2026-11-06", "62.12", "81.1%", `id="map-score"`,
		`src="assets/echarts.min.js"`, `src="assets/map.js"`, "葫芦岛市。这些城市不参加排名"} {
		if !strings.Contains(index, s) {
			t.Errorf("index.html lacks %q", s)
		}
	}
	if !strings.Contains(city, `src="../assets/echarts.min.js"`) {
		t.Error("a city page does not load ECharts from ../assets")
	}
	if !bytes.HasPrefix(files["assets/map.js"], []byte("// ")) || !bytes.Contains(files["assets/map.js"], []byte(`echarts.registerMap("liaoning", {`)) {
		t.Errorf("map.js does not register the map: %.80s", files["assets/map.js"])
	}
}
