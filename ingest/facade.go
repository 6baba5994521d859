package ingest

import (
	"io"
	"time"

	"ufa/ingest/model"
	"ufa/ingest/template"
	"ufa/internal/spec"
)

// The shared types live in ingest/model, so that the reader, the rules and
// the writers of workbooks share them without importing one another; they
// are re-exported here, where every caller has always found them.
type (
	Severity = model.Severity
	Finding  = model.Finding
	Value    = model.Value
	Row      = model.Row
	Table    = model.Table
	Workbook = model.Workbook
	Result   = model.Result
)

const (
	Error   = model.Error
	Warning = model.Warning
)

// DateValue is the Value of a date cell.
func DateValue(t time.Time) Value { return model.DateValue(t) }

// MaskIDs masks every run of characters shaped like an ID number.
func MaskIDs(s string) string { return model.MaskIDs(s) }

// TemplateOptions pre-fills the template's cover (ufa template --city --month).
type TemplateOptions = template.Options

// ErrTemplateOption marks a City or Month that WriteTemplate cannot use.
var ErrTemplateOption = template.ErrOption

// WriteTemplate writes the blank monthly workbook to w (ingest/template).
func WriteTemplate(book *spec.Book, w io.Writer, opt TemplateOptions) error {
	return template.Write(book, w, opt)
}

// MaskFinding masks ID numbers in a finding's value and message.
func MaskFinding(book *spec.Book, f Finding) Finding { return model.MaskFinding(book, f) }
