//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"fmt"
	"syscall/js"

	"ufa/ingest"
	"ufa/internal/clerk"
	"ufa/internal/spec"
)

// version and commit are set by the Makefile, as for ufa.
var (
	version = "dev"
	commit  = "unknown"
)

func main() {
	book := spec.Load()
	api := js.Global().Get("Object").New()
	api.Set("version", version+" "+commit)
	api.Set("validate", js.FuncOf(func(_ js.Value, args []js.Value) any {
		name, annotate := args[0].String(), len(args) < 2 || args[1].Truthy()
		return promise(func() (any, error) { return validate(book, name, annotate) })
	}))
	api.Set("template", js.FuncOf(func(js.Value, []js.Value) any {
		return promise(func() (any, error) { return template(book) })
	}))
	js.Global().Set("ufa", api)
	if ready := js.Global().Get("ufaReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {} // serve the page's calls until it is closed
}

// validate checks the workbook the page stored under name and, when
// annotate is set, writes its annotated copy as clerk.CopyName(name) in the
// same file system.
func validate(book *spec.Book, name string, annotate bool) (any, error) {
	out := ""
	if annotate {
		out = clerk.CopyName(name)
	}
	c, err := clerk.Check(context.Background(), book, name, ingest.Options{}, out)
	if err != nil {
		return nil, err
	}
	res := map[string]any{
		"json":    string(c.JSON),
		"verdict": ingest.Verdict(c.Result),
		"copy":    "",
		"note":    "",
	}
	labels := c.FieldNames(book)
	arr := js.Global().Get("Array").New(len(labels))
	for i, l := range labels {
		arr.SetIndex(i, l)
	}
	res["fields"] = arr
	switch c.Copy {
	case clerk.CopyWritten:
		res["copy"] = out
	case clerk.NotAnnotatable:
		res["note"] = "该文件无法打开，没有可标注的内容，因此没有标注副本。"
	case clerk.CopyFailed:
		res["note"] = "未能生成标注副本：" + c.CopyErr.Error()
	}
	return res, nil
}

// template is `ufa template` with no city or month: the blank workbook.
func template(book *spec.Book) (any, error) {
	var buf bytes.Buffer
	if err := ingest.WriteTemplate(book, &buf, ingest.TemplateOptions{}); err != nil {
		return nil, err
	}
	arr := js.Global().Get("Uint8Array").New(buf.Len())
	js.CopyBytesToJS(arr, buf.Bytes())
	return arr, nil
}

// promise runs work in its own goroutine (it reads files through the
// page's file system, which needs the event loop) and settles a JS Promise
// with its result. A panic rejects the promise instead of killing the
// program, so one strange workbook cannot stop the page.
func promise(work func() (any, error)) js.Value {
	var run js.Func
	run = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			defer run.Release()
			defer func() {
				if p := recover(); p != nil {
					reject.Invoke(js.Global().Get("Error").New("内部错误：" + fmt.Sprint(p)))
				}
			}()
			v, err := work()
			if err != nil {
				reject.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			resolve.Invoke(v)
		}()
		return nil
	})
	return js.Global().Get("Promise").New(run)
}
