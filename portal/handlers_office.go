package portal

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"ufa/metrics"
	"ufa/queries"
	"ufa/report"
)

type boardData struct {
	Month    string
	Months   []string
	Deadline time.Time
	Cities   []CityStatus
	Locked   bool
	LockedBy string
	Computed bool
	Attempts map[string][]attemptLink // by city code: the warehouse's attempts
	Pending  []*Attempt               // uploads not (yet) processed, any month
	Orphans  []string                 // stored originals with no upload row (stopped in between)
	Message  string
}

func (s *Server) board(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	open, err := s.openMonths(ctx)
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	known, err := scanStrings(ctx, s.w.DB(), q("months_known"))
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	months := map[string]bool{}
	for _, m := range append(open, known...) {
		months[m] = true
	}
	d := boardData{Month: r.URL.Query().Get("month"), Attempts: map[string][]attemptLink{}, Message: r.URL.Query().Get("msg")}
	for m := range months {
		d.Months = append(d.Months, m)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(d.Months)))
	if d.Month == "" {
		d.Month = s.now().In(cst).AddDate(0, -1, 0).Format("2006-01")
		if len(known) > 0 && known[0] > d.Month {
			d.Month = known[0]
		}
	}
	if _, err := metrics.ParseMonth(d.Month); err != nil {
		s.errorPage(w, r, c.sess, http.StatusBadRequest, "月份应写成 YYYY-MM。")
		return
	}
	if d.Deadline, d.Cities, err = s.stat.MonthStatus(ctx, d.Month); err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	if d.Locked, d.LockedBy, err = s.monthLock(ctx, d.Month); err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	_, err = metrics.LoadRun(ctx, s.w.DB(), d.Month)
	d.Computed = err == nil
	all, err := listAttempts(ctx, s.w.DB(), q("upload_list_month"), d.Month)
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	for _, a := range all {
		if a.State != stateDone {
			d.Pending = append(d.Pending, a)
		}
	}
	links, err := attemptLinks(ctx, s.w.DB(), q("month_attempts"), d.Month)
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	for _, l := range links {
		d.Attempts[l.City] = append(d.Attempts[l.City], l)
	}
	if d.Orphans, err = s.orphans(ctx); err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	s.render(w, r, c.sess, http.StatusOK, "board", d.Month+" 报送看板", d)
}

func (s *Server) boardMonth(w http.ResponseWriter, r *http.Request, c *reqCtx) (string, bool) {
	m := r.PathValue("month")
	if _, err := metrics.ParseMonth(m); err != nil || len(m) != 7 {
		s.errorPage(w, r, c.sess, http.StatusBadRequest, "月份应写成 YYYY-MM。")
		return "", false
	}
	return m, true
}

func (s *Server) lock(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	m, ok := s.boardMonth(w, r, c)
	if !ok {
		return
	}
	s.wmu.Lock()
	locked, _, err := s.monthLock(r.Context(), m)
	if err == nil && !locked {
		_, err = s.w.DB().ExecContext(context.WithoutCancel(r.Context()), q("lock_insert"), m, c.sess.Account, s.now())
	}
	s.wmu.Unlock()
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	s.audit(r, c.sess, "month_lock", m, "")
	http.Redirect(w, r, "/board?month="+m, http.StatusSeeOther)
}

func (s *Server) unlock(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	m, ok := s.boardMonth(w, r, c)
	if !ok {
		return
	}
	s.wmu.Lock()
	_, err := s.w.DB().ExecContext(context.WithoutCancel(r.Context()), q("lock_delete"), m)
	s.wmu.Unlock()
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	s.audit(r, c.sess, "month_unlock", m, "")
	http.Redirect(w, r, "/board?month="+m, http.StatusSeeOther)
}

func (s *Server) recompute(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	m, ok := s.boardMonth(w, r, c)
	if !ok {
		return
	}
	s.procMu.Lock()
	err := s.proc.Recompute(context.WithoutCancel(r.Context()), m)
	s.procMu.Unlock()
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	s.audit(r, c.sess, "month_recompute", m, "")
	http.Redirect(w, r, "/board?month="+m+"&msg=已重新计算指标并更新看板", http.StatusSeeOther)
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	m := r.PathValue("month")
	if _, err := metrics.ParseMonth(m); err != nil {
		s.notFound(w, r, c.sess)
		return
	}
	var buf bytes.Buffer
	err := report.Write(r.Context(), s.w.DB(), m, &buf)
	if errors.Is(err, report.ErrNotComputed) {
		s.errorPage(w, r, c.sess, http.StatusConflict, m+" 尚未计算指标，还没有考核报告。")
		return
	}
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	name := m + "_考核报告.xlsx"
	s.audit(r, c.sess, "download_report", m, "")
	attachment(w, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Write(buf.Bytes())
}

type dashData struct {
	Months []string
	Role   Role
	City   string
}

func (s *Server) dashboardList(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	var months []string
	entries, _ := os.ReadDir(s.cfg.Dashboards)
	for _, e := range entries {
		if e.IsDir() && fileExists(filepath.Join(s.cfg.Dashboards, e.Name(), "index.html")) {
			months = append(months, e.Name())
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(months)))
	s.render(w, r, c.sess, http.StatusOK, "dashboards", "考核看板", dashData{Months: months, Role: c.sess.Role, City: c.sess.CityCode})
}

// dashboardFile serves a file of a month's rendered dashboards; the route
// table has already decided who may see which page.
func (s *Server) dashboardFile(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	m := r.PathValue("month")
	if _, err := metrics.ParseMonth(m); err != nil || len(m) != 7 {
		s.notFound(w, r, c.sess)
		return
	}
	rel := strings.TrimPrefix(r.URL.Path, "/dashboards/"+m+"/")
	if !fs.ValidPath(rel) {
		s.notFound(w, r, c.sess)
		return
	}
	path := filepath.Join(s.cfg.Dashboards, m, filepath.FromSlash(rel))
	if !fileExists(path) {
		s.notFound(w, r, c.sess)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		s.notFound(w, r, c.sess)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	// ServeContent, not ServeFile: ServeFile redirects .../index.html to .../
	http.ServeContent(w, r, st.Name(), st.ModTime(), f)
}

type queryListData struct {
	Queries []queries.Query
}

func (s *Server) queryList(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.render(w, r, c.sess, http.StatusOK, "queries", "命名查询", queryListData{Queries: queries.List()})
}

type queryData struct {
	Q       queries.Query
	Args    map[string]string
	Ran     bool
	Error   string
	Notes   []string
	Columns []string
	Rows    [][]string
	More    bool
	Query   string // the arguments as a query string, for the downloads
}

const maxTableRows = 2000

func (s *Server) queryRun(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	qq, ok := queries.Lookup(r.PathValue("name"))
	if !ok {
		s.notFound(w, r, c.sess)
		return
	}
	d := queryData{Q: qq, Args: map[string]string{}}
	args := map[string]string{}
	for _, p := range qq.Params {
		if v := strings.TrimSpace(r.URL.Query().Get(p.Name)); v != "" {
			args[p.Name] = v
		}
		d.Args[p.Name] = r.URL.Query().Get(p.Name)
	}
	format := r.URL.Query().Get("format")
	if r.URL.Query().Get("run") == "" && format == "" {
		// The form starts on the newest computed month.
		if _, ok := qq.Param("month"); ok && d.Args["month"] == "" {
			if ms, err := scanStrings(r.Context(), s.w.DB(), q("months_computed")); err == nil && len(ms) > 0 {
				d.Args["month"] = ms[0]
			}
		}
		s.render(w, r, c.sess, http.StatusOK, "query", "查询："+qq.Name, d)
		return
	}
	vals := r.URL.Query()
	vals.Del("format")
	vals.Set("run", "1")
	d.Query = vals.Encode()
	runner := &queries.Runner{DB: s.w.DB(), Book: s.book}
	rows, err := runner.Run(r.Context(), queries.Request{Query: &qq, Args: args})
	var re *queries.RequestError
	if errors.As(err, &re) || errors.Is(err, metrics.ErrNotComputed) {
		// The runner speaks to the command line; here the form is the way.
		msg, _, cut := strings.Cut(err.Error(), "：请加上 --param")
		if cut {
			msg += "：请在上面的表单中填写。"
		}
		d.Error = msg
		s.render(w, r, c.sess, http.StatusBadRequest, "query", "查询："+qq.Name, d)
		return
	}
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	defer rows.Close()
	s.audit(r, c.sess, "query", qq.Name, d.Query)
	switch format {
	case queries.CSV, queries.XLSX:
		var buf bytes.Buffer
		if err := queries.Write(&buf, format, rows); err != nil {
			s.serverError(w, r, c.sess, err)
			return
		}
		ct := "text/csv; charset=utf-8"
		if format == queries.XLSX {
			ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
		s.audit(r, c.sess, "download_query", qq.Name, format)
		attachment(w, qq.Name+"."+format, ct)
		w.Write(buf.Bytes())
		return
	case "":
	default:
		s.errorPage(w, r, c.sess, http.StatusBadRequest, "下载格式只能是 csv 或 xlsx。")
		return
	}
	d.Ran = true
	d.Notes = rows.Notes()
	for _, col := range rows.Columns() {
		d.Columns = append(d.Columns, col.Name)
	}
	for rows.Next() {
		if len(d.Rows) == maxTableRows {
			d.More = true
			break
		}
		var row []string
		for _, v := range rows.Values() {
			row = append(row, cell(v))
		}
		d.Rows = append(d.Rows, row)
	}
	if err := rows.Err(); err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	s.render(w, r, c.sess, http.StatusOK, "query", "查询："+qq.Name, d)
}

func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return queries.Null
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
			return x.Format("2006-01-02")
		}
		return x.In(cst).Format("2006-01-02 15:04:05")
	case float64:
		return metrics.Cell(x)
	case bool:
		if x {
			return "是"
		}
		return "否"
	}
	return fmt.Sprint(v)
}

func (s *Server) backupPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.render(w, r, c.sess, http.StatusOK, "backup", "备份", filepath.Base(s.w.Path()))
}

// backup exports the warehouse (EXPORT DATABASE, Parquet) while no upload
// is being processed, and streams it with the stored originals as one
// tar file.
func (s *Server) backup(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := context.WithoutCancel(r.Context())
	dir, err := os.MkdirTemp(filepath.Dir(s.w.Path()), ".ufa-backup-*")
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	defer os.RemoveAll(dir)
	exp := filepath.Join(dir, "warehouse")
	s.procMu.Lock()
	s.wmu.Lock()
	_, err = s.w.DB().ExecContext(ctx, "EXPORT DATABASE '"+strings.ReplaceAll(exp, "'", "''")+"' (FORMAT parquet)")
	s.wmu.Unlock()
	s.procMu.Unlock()
	if err != nil {
		s.serverError(w, r, c.sess, fmt.Errorf("export database: %w", err))
		return
	}
	stamp := s.now().In(cst).Format("20060102-150405")
	s.audit(r, c.sess, "download_backup", stamp, "")
	attachment(w, "ufa-备份-"+stamp+".tar", "application/x-tar")
	tw := tar.NewWriter(w)
	add := func(root, prefix string) error {
		return filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			st, err := e.Info()
			if err != nil {
				return err
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := tw.WriteHeader(&tar.Header{Name: prefix + filepath.ToSlash(rel), Mode: 0o640, Size: st.Size(), ModTime: st.ModTime()}); err != nil {
				return err
			}
			_, err = io.Copy(tw, f)
			return err
		})
	}
	readme := "ufa 门户备份\n\nwarehouse/：数据库的完整导出（DuckDB EXPORT DATABASE，Parquet）。恢复：在 duckdb 中对新数据库执行 IMPORT DATABASE 'warehouse'。\n" +
		"files/：各市上传的原始工作簿（以 SHA-256 命名）和标注副本。\n\n省级密钥文件不在备份中：请另行妥善保管，恢复时与数据库一起使用。\n"
	tw.WriteHeader(&tar.Header{Name: "说明.txt", Mode: 0o640, Size: int64(len(readme)), ModTime: s.now()})
	io.WriteString(tw, readme)
	if err := add(exp, "warehouse/"); err != nil {
		s.log.Error("portal: backup", "err", err)
		return
	}
	if err := add(s.cfg.Files, "files/"); err != nil {
		s.log.Error("portal: backup", "err", err)
		return
	}
	tw.Close()
}

type accountsData struct {
	Accounts []Account
	Cities   []cityOption
	Message  string
	Password string // a password just set, shown once
	For      string
	Error    string
}

type cityOption struct{ Code, Name string }

func (s *Server) accounts(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.accountsPage(w, r, c, http.StatusOK, accountsData{})
}

func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, d accountsData) {
	var err error
	if d.Accounts, err = listAccounts(r.Context(), s.w.DB()); err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	for _, ct := range s.book.Cities {
		d.Cities = append(d.Cities, cityOption{ct.Code, ct.Name})
	}
	s.render(w, r, c.sess, status, "accounts", "账户管理", d)
}

func (s *Server) accts() *Accounts {
	return &Accounts{DB: s.w.DB(), Book: s.book, Now: s.cfg.Now}
}

func (s *Server) accountAdd(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	role := Role(r.PostFormValue("role"))
	city := r.PostFormValue("city")
	if role != City {
		city = ""
	}
	pw := GeneratePassword()
	s.wmu.Lock()
	err := s.accts().Add(context.WithoutCancel(r.Context()), Actor{Account: c.sess.Account, Address: clientAddr(r)}, name, role, city, pw)
	s.wmu.Unlock()
	if err != nil {
		s.accountsPage(w, r, c, http.StatusBadRequest, accountsData{Error: err.Error()})
		return
	}
	s.accountsPage(w, r, c, http.StatusOK, accountsData{Message: "已建立账户 " + name + "。", Password: pw, For: name})
}

func (s *Server) accountPasswd(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	name := r.PathValue("name")
	pw := GeneratePassword()
	s.wmu.Lock()
	err := s.accts().Passwd(context.WithoutCancel(r.Context()), Actor{Account: c.sess.Account, Address: clientAddr(r)}, name, pw)
	s.wmu.Unlock()
	if errors.Is(err, ErrNoSuchAccount) {
		s.notFound(w, r, c.sess)
		return
	}
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	s.accountsPage(w, r, c, http.StatusOK, accountsData{Message: "已为 " + name + " 设置新密码（原有登录已失效）。", Password: pw, For: name})
}

func (s *Server) accountDisable(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	name := r.PathValue("name")
	if name == c.sess.Account {
		s.accountsPage(w, r, c, http.StatusBadRequest, accountsData{Error: "不能停用自己正在使用的账户。"})
		return
	}
	s.wmu.Lock()
	err := s.accts().Disable(context.WithoutCancel(r.Context()), Actor{Account: c.sess.Account, Address: clientAddr(r)}, name)
	s.wmu.Unlock()
	if errors.Is(err, ErrNoSuchAccount) {
		s.notFound(w, r, c.sess)
		return
	}
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	s.accountsPage(w, r, c, http.StatusOK, accountsData{Message: "已停用账户 " + name + "。"})
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	es, err := listAudit(r.Context(), s.w.DB(), 500)
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	s.render(w, r, c.sess, http.StatusOK, "audit", "审计日志", es)
}

func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	es, err := listAudit(r.Context(), s.w.DB(), 1<<30)
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	s.audit(r, c.sess, "download_audit", "", "")
	attachment(w, "审计日志.csv", "text/csv; charset=utf-8")
	io.WriteString(w, "\uFEFF")
	cw := csv.NewWriter(w)
	cw.Write([]string{"序号", "时间", "账户", "地址", "操作", "对象", "详情"})
	for _, e := range es {
		cw.Write([]string{fmt.Sprint(e.ID), e.At.In(cst).Format("2006-01-02 15:04:05"), e.Account, e.Address, e.Action, e.Object, e.Detail})
	}
	cw.Flush()
}

func (s *Server) validate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, csp, err := s.validatorPage()
	if err != nil {
		s.errorPage(w, r, c.sess, http.StatusNotFound, "本门户尚未安装网页版校验器（ufa-validator.html）。请下载报送模板，或用 ufa validate 校验后再上传；上传后也会立即给出校验结果。")
		return
	}
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b)
}

// orphans are the originals stored in DB.files that no upload row names:
// the portal stopped after syncing the file and before recording it. The
// clerk got no answer for them; the board shows them so that none is
// silently dropped.
func (s *Server) orphans(ctx context.Context) ([]string, error) {
	known, err := scanStrings(ctx, s.w.DB(), q("upload_hashes"))
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, k := range known {
		have[k] = true
	}
	entries, err := os.ReadDir(s.cfg.Files)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if n := e.Name(); isSHA256(n) && !have[n] {
			out = append(out, n)
		}
	}
	return out, nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
