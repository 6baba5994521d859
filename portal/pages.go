package portal

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

// page is what every template gets.
type page struct {
	Title string
	Sess  *session
	Data  any
}

var funcs = template.FuncMap{
	"roleName": RoleName,
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.Format("2006-01-02")
	},
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(cst).Format("2006-01-02 15:04:05")
	},
	"outcome": outcomeName,
	"size": func(n int64) string {
		if n >= 1<<20 {
			return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
		}
		return fmt.Sprintf("%.0f KB", float64(n)/1024)
	},
}

// cst is China Standard Time, the time the pages show (the warehouse
// keeps UTC).
var cst = time.FixedZone("CST", 8*3600)

func outcomeName(a *Attempt) string {
	switch {
	case a.State == statePending:
		return "处理中"
	case a.State == stateFailed:
		return "处理失败"
	case a.Outcome == "accepted" && a.ReplacedID != 0:
		return "已接收（替换前一版本）"
	case a.Outcome == "accepted":
		return "已接收"
	case a.Outcome == "superseded":
		return "已接收（已被更正替换）"
	case a.Outcome == "rejected":
		return fmt.Sprintf("被拒收：%d 个错误", a.Errors)
	case a.Outcome == "unchanged":
		return "未变化（相同文件此前已上传）"
	}
	return a.Outcome
}

func parsePages() (map[string]*template.Template, error) {
	layout, err := template.New("layout.tmpl").Funcs(funcs).ParseFS(templateFiles, "templates/layout.tmpl")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFiles, "templates/*.tmpl")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".tmpl")
		if name == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFiles, n)
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// render writes a page. The page is rendered into memory first so that a
// template error gives a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, sess *session, status int, name, title string, data any) {
	t := s.pages[name]
	var buf bytes.Buffer
	if t == nil {
		s.log.Error("portal: no template", "name", name)
		http.Error(w, "内部错误", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout.tmpl", page{Title: title, Sess: sess, Data: data}); err != nil {
		s.log.Error("portal: render", "page", name, "err", err)
		http.Error(w, "内部错误：页面无法生成", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, sess *session, status int, msg string) {
	title := map[int]string{400: "请求有误", 403: "没有权限", 404: "找不到页面", 409: "无法完成", 413: "文件过大",
		429: "请稍后再试", 500: "内部错误", 503: "暂停服务"}[status]
	if title == "" {
		title = http.StatusText(status)
	}
	s.render(w, r, sess, status, "error", title, msg)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, sess *session) {
	s.errorPage(w, r, sess, http.StatusNotFound, "找不到这个页面或文件：它不存在，或您的账户无权查看。")
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, sess *session, err error) {
	s.log.Error("portal: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	s.errorPage(w, r, sess, http.StatusInternalServerError, "内部错误，请稍后再试；如反复出现，请联系省级管理员（详情见门户的日志）。")
}

// attachment sets the headers of a download under a Chinese file name.
func attachment(w http.ResponseWriter, name, contentType string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s", asciiName(name), pathEscape(name)))
}

func asciiName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			b.WriteByte('_')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func pathEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
