package dashboards

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"sort"

	"ufa/internal/atomicfile"
)

// Result says what Render wrote.
type Result struct {
	Dir   string
	Index string   // the path of index.html
	Pages []string // every page, relative to Dir, sorted
}

// pageTemplates parses the layout with one page's content template.
func pageTemplates(name string) (*template.Template, error) {
	t := template.New("layout").Funcs(template.FuncMap{"shortName": shortName})
	t, err := t.ParseFS(assetsFS, "templates/layout.tmpl", "templates/"+name+".tmpl")
	if err != nil {
		return nil, fmt.Errorf("页面模板 %s：%w", name, err)
	}
	return t, nil
}

// RenderData writes the pages of d into dir: index.html, quality.html,
// city/<code>.html and assets/. Files are written whole (to a temporary
// name, then renamed), so a reader never sees half a page.
func RenderData(ctx context.Context, d *Data, dir string) (*Result, error) {
	if len(d.Months) == 0 {
		return nil, fmt.Errorf("没有要展示的月份")
	}
	files, err := buildPages(ctx, d)
	if err != nil {
		return nil, err
	}
	assets, err := outputAssets(d.Map)
	if err != nil {
		return nil, err
	}
	for name, b := range assets {
		files["assets/"+name] = b
	}
	res := &Result{Dir: dir, Index: filepath.Join(dir, "index.html")}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(name)), files[name]); err != nil {
			return nil, err
		}
		if filepath.Ext(name) == ".html" {
			res.Pages = append(res.Pages, name)
		}
	}
	return res, nil
}

// buildPages renders every page into memory, by path relative to DIR.
func buildPages(ctx context.Context, d *Data) (map[string][]byte, error) {
	files := map[string][]byte{}
	parsed := map[string]*template.Template{}
	exec := func(tmpl string, path string, model any) error {
		t := parsed[tmpl]
		if t == nil {
			var err error
			if t, err = pageTemplates(tmpl); err != nil {
				return err
			}
			parsed[tmpl] = t
		}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, "layout", model); err != nil {
			return fmt.Errorf("生成页面 %s：%w", path, err)
		}
		files[path] = buf.Bytes()
		return nil
	}
	ov, err := d.overview()
	if err != nil {
		return nil, err
	}
	if err := exec("index", "index.html", ov); err != nil {
		return nil, err
	}
	q, err := d.quality()
	if err != nil {
		return nil, err
	}
	if err := exec("quality", "quality.html", q); err != nil {
		return nil, err
	}
	for _, c := range d.Cities {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cp, err := d.cityPage(c)
		if err != nil {
			return nil, err
		}
		if err := exec("city", "city/"+c.Code+".html", cp); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// writeFile writes b to path through a temporary file in the same folder.
func writeFile(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("无法创建输出文件夹 %s：%w", filepath.Dir(path), err)
	}
	err := atomicfile.WriteFile(path, b)
	var ae *atomicfile.Error
	if errors.As(err, &ae) && ae.Op == atomicfile.OpCreate {
		return fmt.Errorf("无法写入输出文件夹 %s：%w", filepath.Dir(path), ae.Err)
	}
	if errors.As(err, &ae) {
		err = ae.Err
	}
	if err != nil {
		return fmt.Errorf("写入 %s：%w", path, err)
	}
	return nil
}
