package portal

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"ufa/internal/spec"
)

// The limits of portal.md.
const (
	MinPassword   = 10
	MaxFailed     = 5
	LockFor       = 15 * time.Minute
	IdleTimeout   = 30 * time.Minute
	AbsoluteLimit = 12 * time.Hour
)

// argon2id parameters: RFC 9106's second recommended option scaled to
// OWASP's minimum (19 MiB, 2 passes, 1 lane): a login costs ~30 ms.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashPassword returns the PHC string of password under a new salt.
func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword tells whether password matches the PHC string.
func checkPassword(phc, password string) bool {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when the account does not exist, so that
// a wrong name costs the same time as a wrong password.
var dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$3Kx0Y2ZvX2Jc0y4o0Z1m3pP6iQm0e4sJm0P0mZ1Zy9Y"

// GeneratePassword returns a random password of 16 letters and digits
// (no look-alikes such as 0/O, 1/l).
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// newToken returns a random 256-bit token (base64url) and its SHA-256 hex,
// the form a session token is stored in.
func newToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, tokenHash(token)
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// ErrPassword: the password is too short.
var ErrPassword = fmt.Errorf("密码至少需要 %d 个字符", MinPassword)

// Accounts manages the accounts of a warehouse: ufa user while the portal
// is stopped, the accounts page while it runs. Every change is audited.
type Accounts struct {
	DB   *sql.DB
	Book *spec.Book
	Now  func() time.Time
}

func (s *Accounts) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Actor is who does something, for the audit log.
type Actor struct {
	Account string // "" for the command line
	Address string // the client's address, "命令行" for ufa user
}

func audit(ctx context.Context, db *sql.DB, at time.Time, who Actor, action, object, detail string) error {
	_, err := db.ExecContext(ctx, q("audit_insert"), at, nullable(who.Account), nullable(who.Address), action, nullable(object), nullable(detail))
	if err != nil {
		return fmt.Errorf("写审计日志: %w", err)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// checkName refuses names that would be confusing in the log or a URL.
func checkName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > 64 || strings.ContainsAny(name, " \t\r\n/\\?#%&\"'<>") {
		return fmt.Errorf("账户名 %q 不可用：请用不含空格和 / \\ ? # %% & 引号 尖括号的名称，最多 64 个字符", name)
	}
	return nil
}

// Add creates an account. city (a name, short name or code) is required
// for the city role and refused for the others.
func (s *Accounts) Add(ctx context.Context, who Actor, name string, role Role, city, password string) error {
	if err := checkName(name); err != nil {
		return err
	}
	code := ""
	switch role {
	case City:
		if city == "" {
			return fmt.Errorf("市级填报账户须指定所属的市（--city 市名或区划代码）")
		}
		book := s.Book
		if book == nil {
			book = spec.Load()
		}
		c, ok := book.City(city)
		if !ok {
			return fmt.Errorf("不认识的市 %q：请给出辽宁省 14 个市之一的名称、简称或 6 位区划代码", city)
		}
		code = c.Code
	case Office, Leader:
		if city != "" {
			return fmt.Errorf("只有市级填报账户（city）属于某个市，%s 账户不需要 --city", role)
		}
	default:
		return fmt.Errorf("角色 %q 无效：只能是 city（市级填报）、office（省级管理）或 leader（领导）", role)
	}
	if utf8.RuneCountInString(password) < MinPassword {
		return ErrPassword
	}
	if _, err := getAccount(ctx, s.DB, name); err == nil {
		return fmt.Errorf("账户 %s 已存在", name)
	} else if !errors.Is(err, errNoAccount) {
		return err
	}
	phc, err := hashPassword(password)
	if err != nil {
		return err
	}
	now := s.now()
	if _, err := s.DB.ExecContext(ctx, q("account_insert"), name, string(role), nullable(code), phc, now, now); err != nil {
		return fmt.Errorf("建立账户 %s: %w", name, err)
	}
	return audit(ctx, s.DB, now, who, "account_add", name, strings.TrimSpace(string(role)+" "+code))
}

// Passwd sets a new password, lifting a lock and ending the account's
// sessions.
func (s *Accounts) Passwd(ctx context.Context, who Actor, name, password string) error {
	if _, err := getAccount(ctx, s.DB, name); err != nil {
		return s.notFound(name, err)
	}
	if utf8.RuneCountInString(password) < MinPassword {
		return ErrPassword
	}
	phc, err := hashPassword(password)
	if err != nil {
		return err
	}
	now := s.now()
	if _, err := s.DB.ExecContext(ctx, q("account_set_password"), phc, now, name); err != nil {
		return err
	}
	if _, err := s.DB.ExecContext(ctx, q("session_delete_account"), name); err != nil {
		return err
	}
	return audit(ctx, s.DB, now, who, "account_passwd", name, "")
}

// Disable disables an account and ends its sessions.
func (s *Accounts) Disable(ctx context.Context, who Actor, name string) error {
	if _, err := getAccount(ctx, s.DB, name); err != nil {
		return s.notFound(name, err)
	}
	now := s.now()
	if _, err := s.DB.ExecContext(ctx, q("account_disable"), now, name); err != nil {
		return err
	}
	if _, err := s.DB.ExecContext(ctx, q("session_delete_account"), name); err != nil {
		return err
	}
	return audit(ctx, s.DB, now, who, "account_disable", name, "")
}

// List returns every account.
func (s *Accounts) List(ctx context.Context) ([]Account, error) { return listAccounts(ctx, s.DB) }

// ErrNoSuchAccount: the named account does not exist.
var ErrNoSuchAccount = errors.New("没有这个账户")

func (s *Accounts) notFound(name string, err error) error {
	if errors.Is(err, errNoAccount) {
		return fmt.Errorf("%w：%s（ufa user list 列出全部账户）", ErrNoSuchAccount, name)
	}
	return err
}

// EnsureOffice creates an office account named "office" (or office2...)
// with a random password when no enabled office account exists, and
// returns its name and password ("" when one existed).
func (s *Accounts) EnsureOffice(ctx context.Context) (name, password string, err error) {
	var n int
	if err := s.DB.QueryRowContext(ctx, q("account_offices")).Scan(&n); err != nil {
		return "", "", err
	}
	if n > 0 {
		return "", "", nil
	}
	name = "office"
	for i := 2; ; i++ {
		if _, err := getAccount(ctx, s.DB, name); errors.Is(err, errNoAccount) {
			break
		} else if err != nil {
			return "", "", err
		}
		name = fmt.Sprintf("office%d", i)
	}
	password = GeneratePassword()
	if err := s.Add(ctx, Actor{Address: "首次启动"}, name, Office, "", password); err != nil {
		return "", "", err
	}
	return name, password, nil
}

// DemoPassword is the password of the demo accounts (public: demo only).
const DemoPassword = "ufa-demo-2026"

// AddDemo creates the demo accounts that do not exist yet: office,
// leader, and one city account per city named by its code (city210100),
// all with DemoPassword. It returns the names created, for ufa demo to
// print next to how to start the portal.
func (s *Accounts) AddDemo(ctx context.Context) ([]string, error) {
	book := s.Book
	if book == nil {
		book = spec.Load()
	}
	type acct struct {
		name string
		role Role
		city string
	}
	list := []acct{{"office", Office, ""}, {"leader", Leader, ""}}
	for _, c := range book.Cities {
		list = append(list, acct{"city" + c.Code, City, c.Code})
	}
	var made []string
	for _, a := range list {
		if _, err := getAccount(ctx, s.DB, a.name); err == nil {
			continue
		} else if !errors.Is(err, errNoAccount) {
			return made, err
		}
		if err := s.Add(ctx, Actor{Address: "ufa demo"}, a.name, a.role, a.city, DemoPassword); err != nil {
			return made, err
		}
		made = append(made, a.name)
	}
	return made, nil
}
