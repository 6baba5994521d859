//go:build cgo

package main

import (
	"flag"
	"os"

	"ufa/internal/spec"
	"ufa/transform"
)

// The warehouse flags, defined alike by every command that opens the
// warehouse: --db (spec.DefaultDB without it), and for the commands that
// write hashed ID numbers the key, --key-file and --demo-key, with the
// environment (UFA_KEY_FILE, UFA_DEMO_KEY=1) where the flags say nothing.

// whUse says what a command does with the warehouse, which decides the
// flags and their help.
type whUse int

const (
	whRead   whUse = iota // --db: an existing warehouse
	whIngest              // --db (created), --key-file, --demo-key
	whServe               // --db (created), --key-file, --demo-key (a demo warehouse's portal)
)

type warehouseFlags struct {
	db      *string
	keyFile *string
	demoKey *bool
}

func addWarehouseFlags(fs *flag.FlagSet, use whUse) *warehouseFlags {
	w := &warehouseFlags{keyFile: new(string), demoKey: new(bool)}
	if use == whRead {
		w.db = fs.String("db", spec.DefaultDB, "数据库文件")
		return w
	}
	w.db = fs.String("db", spec.DefaultDB, "数据库文件（不存在时新建）")
	if use == whServe {
		fs.StringVar(w.keyFile, "key-file", "", "省级密钥文件（也可用环境变量 UFA_KEY_FILE）；不给时用数据库旁的 <数据库>.key")
		fs.BoolVar(w.demoKey, "demo-key", false, "使用公开的演示密钥（也可设环境变量 UFA_DEMO_KEY=1）；仅供演示数据库（ufa demo），切勿用于真实数据")
		return w
	}
	fs.StringVar(w.keyFile, "key-file", "", "省级密钥文件（也可用环境变量 UFA_KEY_FILE）；不给时用数据库旁的 <数据库>.key，新数据库会自动生成")
	fs.BoolVar(w.demoKey, "demo-key", false, "使用公开的演示密钥（也可设环境变量 UFA_DEMO_KEY=1）；仅供演示，切勿用于真实数据")
	return w
}

// DB is the warehouse's path.
func (w *warehouseFlags) DB() string { return *w.db }

// KeyFile is --key-file as given ("" without it).
func (w *warehouseFlags) KeyFile() string { return *w.keyFile }

// bothKeys says --demo-key and --key-file were both given (a usage error:
// errBothKeys).
func (w *warehouseFlags) bothKeys() bool { return *w.demoKey && *w.keyFile != "" }

const errBothKeys = "--demo-key 与 --key-file 只能给一个"

// key is where the key comes from: the flags, else UFA_KEY_FILE, else
// UFA_DEMO_KEY=1, else nothing (transform then uses <db>.key).
func (w *warehouseFlags) key() transform.KeySource {
	k := transform.KeySource{File: *w.keyFile, Demo: *w.demoKey}
	if !k.Demo && k.File == "" {
		k.File = os.Getenv("UFA_KEY_FILE")
		k.Demo = k.File == "" && os.Getenv("UFA_DEMO_KEY") == "1"
	}
	return k
}
