//go:build cgo

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"ufa/internal/atomicfile"
	"ufa/queries"
)

const queryUsage = "query [--db 数据库] [--format table|csv|json|xlsx|parquet] [-o 文件] [--param 名=值]... 查询名称|\"SQL 语句\"\n" +
	"       ufa query [--allow-files 文件或文件夹]... \"SQL 语句\"\n" +
	"       ufa query --list [--format table|json]"

// pathList collects a repeated flag of paths.
type pathList []string

func (p *pathList) String() string { return strings.Join(*p, ",") }

func (p *pathList) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("路径不能为空")
	}
	*p = append(*p, s)
	return nil
}

// paramFlags collects repeated --param key=value.
type paramFlags map[string]string

func (p paramFlags) String() string { return "" }

func (p paramFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return fmt.Errorf("--param 应写成 名=值，例如 --param month=2026-10，而不是 %q", s)
	}
	if _, dup := p[k]; dup {
		return fmt.Errorf("参数 %s 给了两次", k)
	}
	p[k] = v
	return nil
}

// runQuery runs a named query or a read-only SQL statement on the
// warehouse, opened read-only, and writes the result in the asked format.
func runQuery(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "query", queryUsage,
		"SQL 语句只能读取数据库中的表：不能读写本机文件、访问网络或加载扩展。",
		"确需读取本机的文件（如一份 CSV）时，用 --allow-files 明确给出那个文件或文件夹；",
		"数据库的密钥文件无论如何都不能读取。SQL 以注释 -- 开头时照常给出即可（或写在 -- 之后）。",
	)
	db := addWarehouseFlags(fs, whRead).db
	format := fs.String("format", "table", "输出格式：table（对齐的表格）、csv、json（对象数组）、xlsx 或 parquet（后两种须给 -o）")
	out := fs.String("o", "", "写入的文件（默认打印到屏幕）")
	list := fs.Bool("list", false, "列出命名查询及其说明和参数")
	params := paramFlags{}
	fs.Var(params, "param", "命名查询的参数，名=值，可重复，例如 --param month=2026-10 --param city=沈阳市")
	var allow pathList
	fs.Var(&allow, "allow-files", "允许 SQL 语句读取的本机`文件或文件夹`（可重复）；默认不能读取任何文件，密钥文件始终不能读取")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch *format {
	case queries.Table, queries.CSV, queries.JSON, queries.XLSX, "parquet":
	default:
		return usagef("--format 只能是 table、csv、json、xlsx 或 parquet，而不是 %q", *format)
	}
	if *list {
		if fs.NArg() > 0 {
			return usagef("--list 不需要其他参数")
		}
		return listQueries(a.stdout, *format)
	}
	switch fs.NArg() {
	case 0:
		return usagef("缺少要运行的查询：给出命名查询的名称（见 ufa query --list）或一条用引号括起来的 SQL 语句")
	case 1:
	default:
		return usagef("多余的参数 %q：SQL 语句请用引号括起来作为一个参数", fs.Arg(1))
	}
	if (*format == queries.XLSX || *format == "parquet") && *out == "" {
		return usagef("--format %s 须用 -o 指定输出文件，例如 -o 结果.%s", *format, *format)
	}
	if err := checkOutput(output{flag: "-o", path: *out, ext: formatExt(*format)}, guarded{db: *db, inputs: allow}); err != nil {
		return err
	}
	req, err := queryRequest(fs.Arg(0), params)
	if err != nil {
		return err
	}
	if req.Query != nil && len(allow) > 0 {
		return usagef("--allow-files 只用于 SQL 语句；命名查询只读数据库中的表")
	}
	w, err := openWarehouse(ctx, a, *db, true)
	if err != nil {
		return err
	}
	defer w.Close()
	r := &queries.Runner{DB: w.DB(), Book: a.book}
	if req.Query == nil {
		r.Seal = &queries.Seal{Allow: allow, Secret: secretFiles(*db, "")}
	}
	if *format == "parquet" {
		return queryError(r.Parquet(ctx, req, *out))
	}
	rows, err := r.Run(ctx, req)
	if err != nil {
		return queryError(err)
	}
	defer rows.Close()
	if *format != queries.Table {
		// The table prints its notes (a drill-down's value and row set)
		// above it; the other formats are for programs: notes go to stderr.
		for _, n := range rows.Notes() {
			fmt.Fprintln(a.stderr, n)
		}
	}
	if *out == "" {
		if err := queries.Write(a.stdout, *format, rows); isDiskFull(err) {
			return diskError("标准输出", err)
		} else if err != nil {
			return queryError(err)
		}
		return nil
	}
	return queryError(writeFileAtomic(*out, func(f io.Writer) error { return queries.Write(f, *format, rows) }))
}

// queryRequest tells a named query from a SQL statement: a single word of
// lower-case letters, digits and _ is a name.
func queryRequest(arg string, params paramFlags) (queries.Request, error) {
	name := strings.TrimSpace(arg)
	if isQueryName(name) {
		q, ok := queries.Lookup(name)
		if !ok {
			return queries.Request{}, usagef("没有名为 %q 的命名查询：可用的查询见 ufa query --list", name)
		}
		return queries.Request{Query: &q, Args: params}, nil
	}
	if len(params) > 0 {
		return queries.Request{}, usagef("--param 只用于命名查询；SQL 语句请直接写出条件")
	}
	return queries.Request{SQL: arg}, nil
}

func isQueryName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// queryError makes a refused request a usage error (exit 2 with a hint).
func queryError(err error) error {
	var re *queries.RequestError
	if errors.As(err, &re) {
		return usageError{msg: re.Msg, cause: re}
	}
	return err
}

// writeFileAtomic writes path through a temporary file in the same folder
// renamed at the end, so a failure leaves no partial file.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	err := atomicfile.Write(path, write)
	var ae *atomicfile.Error
	if !errors.As(err, &ae) {
		if err != nil {
			return diskError(path, err)
		}
		return nil
	}
	switch ae.Op {
	case atomicfile.OpCreate:
		return fmt.Errorf("无法写出 %s：%w（请检查目录是否存在、是否可写）", path, ae.Err)
	case atomicfile.OpRename:
		return fmt.Errorf("无法写出 %s：%w", path, ae.Err)
	case atomicfile.OpChmod:
		return fmt.Errorf("写出 %s: %w", path, ae.Err)
	}
	return diskError(path, ae.Err)
}

func listQueries(w io.Writer, format string) error {
	qs := queries.List()
	if format == queries.JSON {
		type param struct {
			Name        string   `json:"name"`
			Required    bool     `json:"required"`
			Default     *string  `json:"default"`
			Choices     []string `json:"choices,omitempty"`
			Description string   `json:"description"`
		}
		type query struct {
			Name        string  `json:"name"`
			Description string  `json:"description"`
			Params      []param `json:"params"`
		}
		out := []query{}
		for _, q := range qs {
			x := query{Name: q.Name, Description: q.Description, Params: []param{}}
			for _, p := range q.Params {
				y := param{Name: p.Name, Required: p.Required, Choices: p.Choices, Description: p.Doc}
				if !p.Required {
					d := p.Default
					y.Default = &d
				}
				x.Params = append(x.Params, y)
			}
			out = append(out, x)
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if format != queries.Table {
		return usagef("--list 只支持 --format table 或 json")
	}
	fmt.Fprintln(w, "命名查询（运行：ufa query 名称 --param 名=值 ...）：")
	for _, q := range qs {
		fmt.Fprintf(w, "\n%s\n  %s\n", q.Name, q.Description)
		for _, p := range q.Params {
			how := "必填"
			if !p.Required {
				how = "默认 " + p.Default
			}
			fmt.Fprintf(w, "  --param %s=…  （%s）%s\n", p.Name, how, p.Doc)
		}
	}
	fmt.Fprintln(w, "\n也可以给出一条只读的 SQL 语句（SELECT、WITH 等），例如：ufa query \"SELECT city_name, count(*) FROM cur_submissions GROUP BY ALL\"")
	return nil
}
