package portal

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	_ "embed"
)

//go:embed static/style.css
var styleCSS []byte

func (s *Server) style(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(styleCSS)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	w.Header().Set("Content-Type", "application/json")
	if err := s.w.DB().PingContext(r.Context()); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(map[string]any{"status": "unavailable", "error": err.Error()})
		return
	}
	s.qmu.Lock()
	queued := len(s.queue)
	s.qmu.Unlock()
	json.NewEncoder(w).Encode(map[string]any{"status": "ok", "warehouse": "open", "queued_uploads": queued, "accepting_uploads": !s.closing.Load()})
}

type loginData struct {
	Next  string
	User  string
	Error string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if c.sess != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, nil, http.StatusOK, "login", "登录", loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

const loginFailed = "用户名或密码错误，或账户已被停用或暂时锁定（连续 5 次输错密码锁定 15 分钟）。"

func (s *Server) login(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	name := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	addr := clientAddr(r)
	now := s.now()
	lim := s.limiter(addr)
	if lim.TokensAt(now) < 1 {
		s.audit(r, nil, "login_refused", name, "too many failed logins from this address")
		w.Header().Set("Retry-After", "60")
		s.render(w, r, nil, http.StatusTooManyRequests, "login", "登录", loginData{Next: next, User: name,
			Error: "此地址登录失败次数过多，请稍后再试。"})
		return
	}
	ctx := context.WithoutCancel(r.Context())
	acct, err := getAccount(ctx, s.w.DB(), name)
	if err != nil && !errors.Is(err, errNoAccount) {
		s.serverError(w, r, nil, err)
		return
	}
	ok := false
	switch {
	case acct == nil:
		checkPassword(dummyHash, password)
	case acct.LockedUntil.After(now) || acct.Disabled:
		checkPassword(dummyHash, password)
	default:
		ok = checkPassword(acct.password, password)
	}
	if !ok {
		lim.AllowN(now, 1)
		detail := "wrong name or password"
		if acct != nil && !acct.Disabled && !acct.LockedUntil.After(now) {
			failed := acct.failed + 1
			var until any
			if failed >= MaxFailed {
				until, failed = now.Add(LockFor), 0
				detail = "account locked for 15 minutes"
			}
			s.wmu.Lock()
			_, err = s.w.DB().ExecContext(ctx, q("account_failed"), failed, until, acct.Name)
			s.wmu.Unlock()
			if err != nil {
				s.serverError(w, r, nil, err)
				return
			}
		} else if acct != nil {
			detail = "account locked or disabled"
		}
		s.audit(r, nil, "login_failed", name, detail)
		s.render(w, r, nil, http.StatusUnauthorized, "login", "登录", loginData{Next: next, User: name, Error: loginFailed})
		return
	}
	token, hash := newToken()
	csrf, _ := newToken()
	s.wmu.Lock()
	err = func() error {
		if _, err := s.w.DB().ExecContext(ctx, q("account_failed"), 0, nil, acct.Name); err != nil {
			return err
		}
		// A new session at every login (the old cookie's session ends).
		if old, err := r.Cookie(cookieName); err == nil {
			if _, err := s.w.DB().ExecContext(ctx, q("session_delete"), tokenHash(old.Value)); err != nil {
				return err
			}
		}
		if _, err := s.w.DB().ExecContext(ctx, q("session_delete_expired"), now.Add(-IdleTimeout), now.Add(-AbsoluteLimit)); err != nil {
			return err
		}
		_, err := s.w.DB().ExecContext(ctx, q("session_insert"), hash, acct.Name, csrf, now, now, addr)
		return err
	}()
	s.wmu.Unlock()
	if err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	s.audit(r, &session{Account: acct.Name}, "login", acct.Name, "")
	s.setCookie(w, token, int(AbsoluteLimit/time.Second))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.wmu.Lock()
	_, err := s.w.DB().ExecContext(context.WithoutCancel(r.Context()), q("session_delete"), c.sess.hash)
	s.wmu.Unlock()
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	s.audit(r, c.sess, "logout", c.sess.Account, "")
	s.setCookie(w, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	switch c.sess.Role {
	case City:
		http.Redirect(w, r, "/cities/"+c.sess.CityCode, http.StatusSeeOther)
	case Office:
		http.Redirect(w, r, "/board", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/dashboards", http.StatusSeeOther)
	}
}
