package transform

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"ufa/internal/atomicfile"
)

// The province key. ID numbers are kept only as HMAC-SHA256 under it, so
// that a person can be followed across months and cities without the
// number being in the warehouse. Where the key comes from, first match:
//
//  1. --demo-key or UFA_DEMO_KEY=1: a fixed, public demo key (said so on
//     every use; for the demo and tests only);
//  2. --key-file F or UFA_KEY_FILE=F;
//  3. <db>.key beside the warehouse, if it exists;
//  4. for a warehouse that holds no key fingerprint yet (new): a random
//     32-byte key is written to <db>.key with mode 0600, and the user is
//     told to keep it safe;
//  5. otherwise ufa refuses (exit 2): hashing under a new key would make
//     every person look new.
//
// A key file holds the key as hex (what ufa writes: 64 hex digits and a
// newline) or as raw bytes; at least 16 bytes either way. The key is never
// passed in an environment variable's value, which other processes of the
// same user can read.

// KeySource says where the key comes from (flags and environment).
type KeySource struct {
	File string // --key-file or UFA_KEY_FILE
	Demo bool   // --demo-key or UFA_DEMO_KEY=1
}

// Key is a resolved province key.
type Key struct {
	Bytes   []byte
	Path    string // the key file ("" for the demo key)
	Demo    bool
	Created bool // written just now for a new warehouse
}

// ErrNoKey: the warehouse has data hashed under a key that was not given.
var ErrNoKey = errors.New("没有找到省级密钥")

// ErrKeyMismatch: the key is not the one the warehouse was built with.
var ErrKeyMismatch = errors.New("省级密钥与数据库不符")

// demoKeyText is public on purpose: the demo must run anywhere with
// nothing to configure, and nobody may mistake it for a secret.
const demoKeyText = "ufa public demo key - NOT SECRET - never use for real data"

// ErrTwoKeys: a KeySource with both the demo key and a key file.
var ErrTwoKeys = errors.New("演示密钥与密钥文件只能给一个")

// KeyError is a missing key (Kind ErrNoKey) or the wrong one (Kind
// ErrKeyMismatch) for the warehouse DB. The command line adds which flag
// names the key.
type KeyError struct {
	Kind    error  // ErrNoKey or ErrKeyMismatch
	DB      string // the warehouse
	Default string // ErrNoKey: the key file looked for beside it
}

func (e *KeyError) Error() string {
	if e.Kind == ErrKeyMismatch {
		return fmt.Sprintf("%v：给出的密钥不是数据库 %s 建库时用的那一把；用不同的密钥会使同一人在各月份被当作不同的人。", e.Kind, e.DB)
	}
	return fmt.Sprintf("%v：数据库 %s 中的身份证号散列是用省级密钥生成的，导入新数据必须用同一把密钥。", e.Kind, e.DB)
}

func (e *KeyError) Unwrap() error { return e.Kind }

// DemoKey is the fixed public demo key.
func DemoKey() []byte {
	s := sha256.Sum256([]byte(demoKeyText))
	return s[:]
}

// DefaultKeyPath is the key file ufa looks for beside a warehouse.
func DefaultKeyPath(db string) string { return db + ".key" }

// ResolveKey finds the key for the warehouse at db (see the rules above);
// fresh tells that the warehouse holds no key fingerprint yet.
func ResolveKey(db string, src KeySource, fresh bool) (Key, error) {
	if src.Demo {
		if src.File != "" {
			return Key{}, ErrTwoKeys
		}
		return Key{Bytes: DemoKey(), Demo: true}, nil
	}
	if src.File != "" {
		b, err := ReadKeyFile(src.File)
		return Key{Bytes: b, Path: src.File}, err
	}
	def := DefaultKeyPath(db)
	b, err := ReadKeyFile(def)
	if err == nil {
		return Key{Bytes: b, Path: def}, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return Key{}, err
	}
	if !fresh {
		return Key{}, &KeyError{Kind: ErrNoKey, DB: db, Default: def}
	}
	b, err = CreateKeyFile(def)
	if err != nil {
		return Key{}, err
	}
	return Key{Bytes: b, Path: def, Created: true}, nil
}

// ReadKeyFile reads a key file: hex text or raw bytes, at least 16 bytes.
func ReadKeyFile(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("找不到密钥文件 %s: %w", path, err)
		}
		return nil, fmt.Errorf("无法读取密钥文件 %s: %w", path, err)
	}
	key := raw
	if t := strings.TrimSpace(string(raw)); len(t)%2 == 0 {
		if h, err := hex.DecodeString(t); err == nil {
			key = h
		}
	}
	if len(key) < 16 {
		return nil, fmt.Errorf("密钥文件 %s 中的密钥太短（至少16字节）：请使用 ufa 生成的密钥文件", path)
	}
	return key, nil
}

// CreateKeyFile writes a new random 32-byte key as hex, readable by its
// owner only. It never overwrites a file.
func CreateKeyFile(path string) ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("无法生成密钥: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("无法创建密钥文件 %s: %w", path, err)
	}
	_, err = f.WriteString(hex.EncodeToString(key) + "\n")
	if err == nil {
		// Without the key the warehouse's hashes cannot be matched again:
		// the key must outlive a power cut.
		err = f.Sync()
	}
	if err == nil {
		err = atomicfile.SyncDir(filepath.Dir(path))
	}
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("无法写入密钥文件 %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("无法写入密钥文件 %s: %w", path, err)
	}
	return key, nil
}

// Fingerprint identifies a key without revealing it.
func Fingerprint(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("ufa warehouse key fingerprint v1"))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

const metaKeyFingerprint = "key_fingerprint"

// KeyFingerprint returns the fingerprint stored in the warehouse, "" for
// a warehouse that has none yet.
func (w *Warehouse) KeyFingerprint(ctx context.Context) (string, error) {
	var fp string
	err := w.db.QueryRowContext(ctx, q("meta_get"), metaKeyFingerprint).Scan(&fp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("读取密钥指纹: %w", err)
	}
	return fp, nil
}

// UseKey sets the key the warehouse hashes ID numbers with. The first key
// a warehouse sees is remembered (its fingerprint); another key is
// refused with ErrKeyMismatch.
func (w *Warehouse) UseKey(ctx context.Context, key []byte) error {
	if len(key) < 16 {
		return errors.New("省级密钥过短（至少16字节）")
	}
	have, err := w.KeyFingerprint(ctx)
	if err != nil {
		return err
	}
	fp := Fingerprint(key)
	switch {
	case have == "":
		if _, err := w.db.ExecContext(ctx, q("meta_put"), metaKeyFingerprint, fp); err != nil {
			return fmt.Errorf("保存密钥指纹: %w", err)
		}
	case have != fp:
		return &KeyError{Kind: ErrKeyMismatch, DB: w.path}
	}
	w.key = append([]byte(nil), key...)
	return nil
}
