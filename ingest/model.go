package ingest

import (
	"time"

	"ufa/ingest/model"
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
