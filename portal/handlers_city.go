package portal

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ufa/ingest"
	"ufa/internal/atomicfile"
	"ufa/internal/spec"
	"ufa/metrics"
)

type monthRow struct {
	Month  string
	Status CityStatus
}

type cityData struct {
	City     spec.City
	Months   []monthRow
	Open     []string
	Default  string // the month preselected: the one usually reported now (last month)
	Attempts []*Attempt
	// Loaded are the city's attempts loaded with ufa ingest or ufa run.
	Loaded  []attemptLink
	MaxMB   int64
	Message string
}

func (s *Server) cityHome(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	city, _ := s.book.City(c.city)
	now := s.now().In(cst)
	d := cityData{City: city, MaxMB: s.cfg.MaxUpload >> 20,
		Default: time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")}
	var err error
	if d.Open, err = s.openMonths(ctx); err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	for _, m := range d.Open {
		_, st, err := s.stat.MonthStatus(ctx, m)
		if err != nil {
			s.serverError(w, r, c.sess, err)
			return
		}
		for _, cs := range st {
			if cs.City.Code == city.Code {
				d.Months = append(d.Months, monthRow{Month: m, Status: cs})
			}
		}
	}
	if d.Attempts, err = listAttempts(ctx, s.w.DB(), q("upload_list_city"), city.Code); err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	if d.Loaded, err = attemptLinks(ctx, s.w.DB(), q("city_attempts"), city.Code); err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	s.render(w, r, c.sess, http.StatusOK, "city", city.Name+" 报送", d)
}

func (s *Server) template(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	month := r.URL.Query().Get("month")
	if _, err := metrics.ParseMonth(month); err != nil {
		s.errorPage(w, r, c.sess, http.StatusBadRequest, "请选择报送月份（YYYY-MM）。")
		return
	}
	var buf bytes.Buffer
	if err := ingest.WriteTemplate(s.book, &buf, ingest.TemplateOptions{City: c.city, Month: month}); err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	city, _ := s.book.City(c.city)
	name := fmt.Sprintf("%s_%s_报送模板.xlsx", city.Name, month)
	s.audit(r, c.sess, "download_template", name, "")
	attachment(w, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Write(buf.Bytes())
}

// upload stores the workbook under its SHA-256 (synced, file and folder)
// and records it before anything else, then waits for its result.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	if s.closing.Load() {
		s.errorPage(w, r, c.sess, http.StatusServiceUnavailable, "门户正在停止，暂不接收上传；请稍后重新上传。")
		return
	}
	if c.mr == nil {
		s.errorPage(w, r, c.sess, http.StatusBadRequest, "请用页面上的上传表单选择工作簿后提交。")
		return
	}
	var month, clientName, tmp string
	var sum string
	var size int64
	defer func() {
		if tmp != "" {
			os.Remove(tmp)
		}
	}()
	for {
		p, err := c.mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			s.uploadReadError(w, r, c, err)
			return
		}
		switch p.FormName() {
		case "month":
			b, _ := io.ReadAll(io.LimitReader(p, 64))
			month = strings.TrimSpace(string(b))
		case "workbook":
			if clientName != "" {
				s.errorPage(w, r, c.sess, http.StatusBadRequest, "一次只能上传一个工作簿。")
				return
			}
			clientName = cleanName(p.FileName())
			if tmp, sum, size, err = s.receive(p); err != nil {
				s.uploadReadError(w, r, c, err)
				return
			}
		}
	}
	if clientName == "" || size == 0 {
		s.errorPage(w, r, c.sess, http.StatusBadRequest, "没有收到工作簿：请选择要上传的 .xlsx 文件。")
		return
	}
	open, err := s.openMonths(ctx)
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	if !contains(open, month) {
		if locked, by, _ := s.monthLock(ctx, month); locked {
			s.errorPage(w, r, c.sess, http.StatusConflict, fmt.Sprintf("%s 已被省级管理员（%s）锁定，不再接收报送；如需更正，请联系省委统战部社会组织工作处。", month, by))
			return
		}
		s.errorPage(w, r, c.sess, http.StatusBadRequest, "请选择一个开放报送的月份。")
		return
	}
	if err := checkXLSX(tmp); err != nil {
		s.audit(r, c.sess, "upload_refused", clientName, "sha256="+sum+" not an xlsx package")
		s.errorPage(w, r, c.sess, http.StatusUnsupportedMediaType, "上传的文件不是 Excel 工作簿（.xlsx）："+err.Error()+"。请用 Excel 或 WPS 另存为 .xlsx 后重新上传。")
		return
	}
	// The original, named by its SHA-256, synced before anything else.
	dst := filepath.Join(s.cfg.Files, sum)
	if err := os.Rename(tmp, dst); err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	tmp = ""
	if err := atomicfile.SyncDir(s.cfg.Files); err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	// Recorded, audited, then queued (under one lock, so that the queue's
	// order is the ids' order and the log has the upload before its result).
	s.wmu.Lock()
	var id int64
	var done <-chan struct{}
	now, bg := s.now(), context.WithoutCancel(ctx)
	err = s.w.DB().QueryRowContext(bg, q("upload_insert"), sum, clientName, size, c.city, month,
		c.sess.Account, clientAddr(r), now).Scan(&id)
	if err == nil {
		err = audit(bg, s.w.DB(), now, Actor{Account: c.sess.Account, Address: clientAddr(r)}, "upload", fmt.Sprint(id),
			fmt.Sprintf("sha256=%s file=%s size=%d month=%s city=%s", sum, clientName, size, month, c.city))
	}
	if id != 0 {
		done = s.enqueue(id) // recorded: processed even if the audit row failed
	}
	s.wmu.Unlock()
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	// Wait for the result; a client that goes away leaves it processing.
	select {
	case <-done:
	case <-ctx.Done():
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/attempts/%d", id), http.StatusSeeOther)
}

func (s *Server) uploadReadError(w http.ResponseWriter, r *http.Request, c *reqCtx, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		s.audit(r, c.sess, "upload_refused", "", "too large")
		s.errorPage(w, r, c.sess, http.StatusRequestEntityTooLarge, fmt.Sprintf("文件过大：最多 %d MB。", s.cfg.MaxUpload>>20))
		return
	}
	s.errorPage(w, r, c.sess, http.StatusBadRequest, "上传没有完成，请重新上传。")
}

// receive copies the file part into a temporary file in DB.files,
// hashing it, and syncs it.
func (s *Server) receive(p io.Reader) (path, sum string, size int64, err error) {
	f, err := os.CreateTemp(s.cfg.Files, ".upload-*")
	if err != nil {
		return "", "", 0, err
	}
	path = f.Name()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), io.LimitReader(p, s.cfg.MaxUpload+1))
	if err == nil && size > s.cfg.MaxUpload {
		err = &http.MaxBytesError{Limit: s.cfg.MaxUpload}
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", "", 0, err
	}
	return path, hex.EncodeToString(h.Sum(nil)), size, nil
}

// checkXLSX says whether the file is an xlsx package: a zip with
// [Content_Types].xml and xl/workbook.xml.
func checkXLSX(path string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return errors.New("它不是 zip 格式的 Office 文档")
	}
	defer z.Close()
	has := map[string]bool{}
	for _, f := range z.File {
		has[f.Name] = true
	}
	if !has["[Content_Types].xml"] || !has["xl/workbook.xml"] {
		return errors.New("其中没有 Excel 工作簿的内容")
	}
	return nil
}

// cleanName keeps the client's file name for display only: its base name
// without control characters.
func cleanName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "" {
		name = "未命名.xlsx"
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return name
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

type attemptData struct {
	A    *Attempt
	City spec.City
}

func (s *Server) attempt(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	a, err := s.getAttempt(r)
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	city, _ := s.book.City(a.CityCode)
	s.render(w, r, c.sess, http.StatusOK, "attempt", "上传结果："+a.FileName, attemptData{A: a, City: city})
}

func (s *Server) getAttempt(r *http.Request) (*Attempt, error) {
	var id int64
	fmt.Sscan(r.PathValue("id"), &id)
	return getAttempt(r.Context(), s.w.DB(), id)
}

func (s *Server) annotated(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	a, err := s.getAttempt(r)
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	path := AnnotatedPath(filepath.Join(s.cfg.Files, "annotated"), a.ID)
	if !a.Annotated || !fileExists(path) {
		s.notFound(w, r, c.sess)
		return
	}
	name := strings.TrimSuffix(a.FileName, filepath.Ext(a.FileName)) + "_校验.xlsx"
	s.audit(r, c.sess, "download_annotated", fmt.Sprint(a.ID), name)
	s.serveFile(w, r, path, name)
}

func (s *Server) original(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	a, err := s.getAttempt(r)
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	path := filepath.Join(s.cfg.Files, a.SHA256)
	if !fileExists(path) {
		s.notFound(w, r, c.sess)
		return
	}
	s.audit(r, c.sess, "download_original", fmt.Sprint(a.ID), "sha256="+a.SHA256)
	s.serveFile(w, r, path, a.FileName)
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, path, name string) {
	f, err := os.Open(path)
	if err != nil {
		s.notFound(w, r, nil)
		return
	}
	defer f.Close()
	attachment(w, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	io.Copy(w, f)
}
