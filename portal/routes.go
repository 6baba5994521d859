package portal

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Route is one rule of the route table: who may call it, and whether it
// names a city's object (then a city account may only reach its own
// city's, and another city's answers 404 as a missing one does).
type Route struct {
	Method  string
	Pattern string
	// Public routes need no session (login, health, the style sheet).
	Public bool
	// Roles may call the route; empty and not Public: nobody (a route
	// without a rule, refused, and failed by the matrix test).
	Roles []Role
	// Scope returns the city code of the object the request names, or
	// errNotFound. nil: the route names no city's object.
	Scope func(s *Server, r *http.Request) (string, error)
	// Multipart: the form is multipart/form-data; its first part must be
	// the session's csrf token (checked before the rest is read).
	Multipart bool

	handle func(s *Server, w http.ResponseWriter, r *http.Request, c *reqCtx)
}

// reqCtx is what the authorization step found out about a request.
type reqCtx struct {
	sess *session
	city string            // the object's city (scoped routes)
	mr   *multipart.Reader // Multipart routes: positioned after the csrf part
}

var (
	all        = []Role{City, Office, Leader}
	cityOffice = []Role{City, Office}
	office     = []Role{Office}
	readers    = []Role{Office, Leader}
)

// Routes is the route table: the only place that says who may do what.
func Routes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/login", Public: true, handle: (*Server).loginPage},
		{Method: "POST", Pattern: "/login", Public: true, handle: (*Server).login},
		{Method: "GET", Pattern: "/healthz", Public: true, handle: (*Server).healthz},
		{Method: "GET", Pattern: "/static/style.css", Public: true, handle: (*Server).style},
		{Method: "POST", Pattern: "/logout", Roles: all, handle: (*Server).logout},
		{Method: "GET", Pattern: "/{$}", Roles: all, handle: (*Server).home},
		{Method: "GET", Pattern: "/validate", Roles: cityOffice, handle: (*Server).validate},

		{Method: "GET", Pattern: "/cities/{city}", Roles: cityOffice, Scope: scopeCity, handle: (*Server).cityHome},
		{Method: "POST", Pattern: "/cities/{city}/upload", Roles: cityOffice, Scope: scopeCity, Multipart: true, handle: (*Server).upload},
		{Method: "GET", Pattern: "/cities/{city}/template", Roles: cityOffice, Scope: scopeCity, handle: (*Server).template},
		{Method: "GET", Pattern: "/attempts/{id}", Roles: cityOffice, Scope: scopeAttempt, handle: (*Server).attempt},
		{Method: "GET", Pattern: "/attempts/{id}/annotated", Roles: cityOffice, Scope: scopeAttempt, handle: (*Server).annotated},
		{Method: "GET", Pattern: "/attempts/{id}/original", Roles: cityOffice, Scope: scopeAttempt, handle: (*Server).original},
		{Method: "GET", Pattern: "/submissions/{id}", Roles: cityOffice, Scope: scopeSubmission, handle: (*Server).submission},

		{Method: "GET", Pattern: "/board", Roles: office, handle: (*Server).board},
		{Method: "POST", Pattern: "/board/{month}/lock", Roles: office, handle: (*Server).lock},
		{Method: "POST", Pattern: "/board/{month}/unlock", Roles: office, handle: (*Server).unlock},
		{Method: "POST", Pattern: "/board/{month}/recompute", Roles: office, handle: (*Server).recompute},
		{Method: "GET", Pattern: "/report/{month}", Roles: readers, handle: (*Server).report},

		{Method: "GET", Pattern: "/dashboards", Roles: all, handle: (*Server).dashboardList},
		{Method: "GET", Pattern: "/dashboards/{month}/index.html", Roles: all, handle: (*Server).dashboardFile},
		{Method: "GET", Pattern: "/dashboards/{month}/quality.html", Roles: readers, handle: (*Server).dashboardFile},
		{Method: "GET", Pattern: "/dashboards/{month}/city/{page}", Roles: all, Scope: scopeCityPage, handle: (*Server).dashboardFile},
		{Method: "GET", Pattern: "/dashboards/{month}/assets/{file...}", Roles: all, handle: (*Server).dashboardFile},

		{Method: "GET", Pattern: "/queries", Roles: office, handle: (*Server).queryList},
		{Method: "GET", Pattern: "/queries/{name}", Roles: office, handle: (*Server).queryRun},
		{Method: "GET", Pattern: "/backup", Roles: office, handle: (*Server).backupPage},
		{Method: "POST", Pattern: "/backup", Roles: office, handle: (*Server).backup},
		{Method: "GET", Pattern: "/accounts", Roles: office, handle: (*Server).accounts},
		{Method: "POST", Pattern: "/accounts", Roles: office, handle: (*Server).accountAdd},
		{Method: "POST", Pattern: "/accounts/{name}/passwd", Roles: office, handle: (*Server).accountPasswd},
		{Method: "POST", Pattern: "/accounts/{name}/disable", Roles: office, handle: (*Server).accountDisable},
		{Method: "GET", Pattern: "/audit", Roles: office, handle: (*Server).auditPage},
		{Method: "GET", Pattern: "/audit.csv", Roles: office, handle: (*Server).auditCSV},
	}
}

func scopeCity(s *Server, r *http.Request) (string, error) {
	c, ok := s.book.City(r.PathValue("city"))
	if !ok || c.Code != r.PathValue("city") {
		return "", errNotFound
	}
	return c.Code, nil
}

func scopeAttempt(s *Server, r *http.Request) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return "", errNotFound
	}
	a, err := getAttempt(r.Context(), s.w.DB(), id)
	if err != nil {
		return "", err
	}
	return a.CityCode, nil
}

func scopeCityPage(s *Server, r *http.Request) (string, error) {
	code, ok := strings.CutSuffix(r.PathValue("page"), ".html")
	if c, known := s.book.City(code); !ok || !known || c.Code != code {
		return "", errNotFound
	}
	return code, nil
}

func (rt Route) allows(role Role) bool {
	for _, x := range rt.Roles {
		if x == role {
			return true
		}
	}
	return false
}

// handler builds the mux from the route table, behind the security
// headers and Go's cross-origin protection.
func (s *Server) handler() (http.Handler, error) {
	mux := http.NewServeMux()
	for _, rt := range Routes() {
		if !rt.Public && len(rt.Roles) == 0 {
			return nil, fmt.Errorf("route %s %s has no rule", rt.Method, rt.Pattern)
		}
		mux.Handle(rt.Method+" "+rt.Pattern, s.authorize(rt))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r, nil) })
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, nil, http.StatusForbidden, "请求被拒绝：表单来自其他网站。请从门户页面重新操作。")
	}))
	return s.headers(cop.Handler(mux)), nil
}

// headers sets the security headers of every response.
func (s *Server) headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", CSP)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cache-Control", "no-store")
		if s.cfg.TLS {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	})
}

// authorize enforces rt's rule on every request before its handler runs.
func (s *Server) authorize(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &reqCtx{}
		sess, err := s.session(r)
		if err != nil {
			s.serverError(w, r, nil, err)
			return
		}
		c.sess = sess
		if rt.Public {
			rt.handle(s, w, r, c)
			return
		}
		if sess == nil {
			next := "/"
			if r.Method == http.MethodGet {
				next = r.URL.RequestURI()
			}
			to := "/login?next=" + url.QueryEscape(next)
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		if !rt.allows(sess.Role) {
			s.errorPage(w, r, sess, http.StatusForbidden, "您的账户没有权限访问此页面。")
			return
		}
		if rt.Scope != nil {
			city, err := rt.Scope(s, r)
			if errors.Is(err, errNotFound) || (err == nil && sess.Role == City && city != sess.CityCode) {
				s.notFound(w, r, sess)
				return
			}
			if err != nil {
				s.serverError(w, r, sess, err)
				return
			}
			c.city = city
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload+1<<20)
			var token string
			if rt.Multipart {
				mr, err := r.MultipartReader()
				if err == nil {
					var p *multipart.Part
					if p, err = mr.NextPart(); err == nil && p.FormName() == "csrf" {
						b, _ := io.ReadAll(io.LimitReader(p, 128))
						token = string(b)
					}
				}
				c.mr = mr
			} else {
				r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
				token = r.PostFormValue("csrf")
			}
			if subtle.ConstantTimeCompare([]byte(token), []byte(sess.CSRF)) != 1 {
				s.errorPage(w, r, sess, http.StatusForbidden, "请求被拒绝：表单已过期或不是从本门户提交的。请刷新页面后重新操作。")
				return
			}
		}
		rt.handle(s, w, r, c)
	})
}

// session is a logged-in request's session.
type session struct {
	hash     string
	Account  string
	Role     Role
	CityCode string
	CSRF     string
	Created  time.Time
	Seen     time.Time
}

const cookieName = "ufa_session"

// session returns the request's valid session, or nil. An expired one is
// deleted.
func (s *Server) session(r *http.Request) (*session, error) {
	ck, err := r.Cookie(cookieName)
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	ctx := r.Context()
	ss := &session{hash: tokenHash(ck.Value)}
	var disabled bool
	err = s.w.DB().QueryRowContext(ctx, q("session_get"), ss.hash).Scan(&ss.Account, &ss.CSRF, &ss.Created, &ss.Seen, &ss.Role, &ss.CityCode, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if disabled || now.Sub(ss.Seen) > IdleTimeout || now.Sub(ss.Created) > AbsoluteLimit {
		s.wmu.Lock()
		_, err := s.w.DB().ExecContext(context.WithoutCancel(ctx), q("session_delete"), ss.hash)
		s.wmu.Unlock()
		return nil, err
	}
	if now.Sub(ss.Seen) > time.Minute { // touched at most once a minute
		s.wmu.Lock()
		_, err := s.w.DB().ExecContext(context.WithoutCancel(ctx), q("session_touch"), now, ss.hash)
		s.wmu.Unlock()
		if err != nil {
			return nil, err
		}
	}
	return ss, nil
}

func (s *Server) setCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: value, Path: "/", HttpOnly: true, Secure: s.cfg.TLS,
		SameSite: http.SameSiteStrictMode, MaxAge: maxAge})
}

// audit records an action of the request's account.
func (s *Server) audit(r *http.Request, sess *session, action, object, detail string) {
	who := Actor{Address: clientAddr(r)}
	if sess != nil {
		who.Account = sess.Account
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := audit(context.WithoutCancel(r.Context()), s.w.DB(), s.now(), who, action, object, detail); err != nil {
		s.log.Error("portal: audit", "err", err)
	}
}
