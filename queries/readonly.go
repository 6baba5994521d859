package queries

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"ufa/internal/sqlfile"
)

// RequestError is a request that cannot be run as asked: an unknown
// query, a bad parameter, a statement that would write. The message, in
// Chinese, says what to change; ufa exits 2.
type RequestError struct {
	Msg string
	Err error // the cause, where there is one (metrics.ErrNotComputed)
}

func (e *RequestError) Error() string { return e.Msg }

func (e *RequestError) Unwrap() error { return e.Err }

func requestf(format string, a ...any) error { return &RequestError{Msg: fmt.Sprintf(format, a...)} }

// readKeywords are the first words of the statements a free query may be.
var readKeywords = []string{"SELECT", "WITH", "FROM", "VALUES", "DESCRIBE", "SHOW", "SUMMARIZE", "EXPLAIN"}

// writeKeywords are first words of DuckDB statements that are not
// queries, named in the refusal so that it is not mistaken for a typo.
var writeKeywords = []string{"INSERT", "UPDATE", "DELETE", "UPSERT", "MERGE", "TRUNCATE", "CREATE", "DROP", "ALTER",
	"COPY", "EXPORT", "IMPORT", "ATTACH", "DETACH", "USE", "PRAGMA", "SET", "RESET", "CALL", "INSTALL", "LOAD",
	"CHECKPOINT", "FORCE", "VACUUM", "ANALYZE", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT",
	"PREPARE", "EXECUTE", "DEALLOCATE", "COMMENT", "GRANT", "REVOKE"}

const readOnlyHint = "ufa query 只执行只读的查询：请给出一条以 SELECT、WITH、FROM、VALUES、DESCRIBE、SHOW、SUMMARIZE 或 EXPLAIN 开头的查询语句（导入数据用 ufa ingest，计算指标用 ufa metrics，导出 Parquet 用 --format parquet -o 文件）"

// CheckReadOnly refuses a free SQL text unless it is one statement that
// only reads, and returns that statement without its final semicolon.
// First the text is split into statements outside strings, quoted names
// and comments (sqlfile.Split, Typed), and the first word of the single
// statement is checked against readKeywords (EXPLAIN: the statement it explains); then, when db
// is not nil, DuckDB's parser (json_serialize_sql, which serialises
// queries only) must agree. The warehouse being open read-only is the
// last guard.
func CheckReadOnly(ctx context.Context, db *sql.DB, text string) (string, error) {
	stmts := sqlfile.Split(text, sqlfile.Typed)
	switch len(stmts) {
	case 0:
		return "", requestf("没有给出 SQL 语句：请给出一个命名查询的名称（见 ufa query --list）或一条查询语句")
	case 1:
	default:
		return "", requestf("一次只能执行一条 SQL 语句，这里有 %d 条（以分号分隔）：请只保留一条查询，需要多个结果时分几次运行 ufa query", len(stmts))
	}
	stmt := stmts[0].SQL
	inner, err := checkFirstWord(stmt)
	if err != nil {
		return "", err
	}
	if db != nil {
		if err := checkParsed(ctx, db, inner); err != nil {
			return "", err
		}
	}
	return stmt, nil
}

// checkFirstWord checks the statement's first word and returns the query
// to hand to the parser (for EXPLAIN [ANALYZE], the explained one).
func checkFirstWord(stmt string) (string, error) {
	words := leadingWords(stmt, 2)
	if len(words) == 0 {
		return "", requestf("无法识别这条 SQL 语句的类型。%s", readOnlyHint)
	}
	first := strings.ToUpper(words[0])
	if !contains(readKeywords, first) {
		if contains(writeKeywords, first) {
			return "", requestf("不能执行 %s 语句（它会修改数据库、设置或文件）。%s", first, readOnlyHint)
		}
		return "", requestf("不能执行以“%s”开头的语句（如是拼写错误请改正）。%s", words[0], readOnlyHint)
	}
	if first != "EXPLAIN" {
		return stmt, nil
	}
	rest := skipWord(stmt) // after EXPLAIN
	if len(words) > 1 && strings.EqualFold(words[1], "ANALYZE") {
		rest = skipWord(rest)
	}
	if w := leadingWords(rest, 1); len(w) > 0 && strings.EqualFold(w[0], "EXPLAIN") {
		return "", requestf("EXPLAIN 只能说明一条查询语句。%s", readOnlyHint)
	}
	return checkFirstWord(rest)
}

// checkParsed asks DuckDB's parser whether stmt is a single query.
func checkParsed(ctx context.Context, db *sql.DB, stmt string) error {
	var out string
	if err := db.QueryRowContext(ctx, "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR", stmt).Scan(&out); err != nil {
		return fmt.Errorf("检查 SQL 语句: %w", err)
	}
	var res struct {
		Error        bool              `json:"error"`
		ErrorType    string            `json:"error_type"`
		ErrorMessage string            `json:"error_message"`
		Statements   []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		return fmt.Errorf("检查 SQL 语句: %w", err)
	}
	switch {
	case res.Error && res.ErrorType == "parser":
		return requestf("SQL 语句有语法错误：%s", res.ErrorMessage)
	case res.Error:
		return requestf("这条语句不是只读的查询（%s）。%s", res.ErrorMessage, readOnlyHint)
	case len(res.Statements) != 1:
		return requestf("一次只能执行一条 SQL 语句，这里有 %d 条：请只保留一条查询", len(res.Statements))
	}
	return nil
}

func isASCIILetterOrDigit(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// leadingWords returns up to n first words of stmt, skipping comments,
// blanks and opening parentheses.
func leadingWords(stmt string, n int) []string {
	s := sqlfile.StripComments(stmt)
	var out []string
	for len(out) < n {
		s = strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '(' })
		end := strings.IndexFunc(s, func(r rune) bool { return !(r == '_' || r < 128 && isASCIILetterOrDigit(byte(r))) })
		if end < 0 {
			end = len(s)
		}
		if end == 0 {
			break
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

// skipWord returns stmt after its first word (comments removed).
func skipWord(stmt string) string {
	s := strings.TrimLeftFunc(sqlfile.StripComments(stmt), unicode.IsSpace)
	end := strings.IndexFunc(s, func(r rune) bool { return !(r == '_' || r < 128 && isASCIILetterOrDigit(byte(r))) })
	if end < 0 {
		return ""
	}
	return s[end:]
}
