package records

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"ufa/ingest/model"
	"ufa/internal/codes"
	"ufa/internal/spec"
)

// The path into the warehouse: a validated Workbook becomes one Arrow
// record batch per sheet, whose columns come from the same spec.Sheet
// columns the reader and the validator use, so that adding a column to the
// contract adds it everywhere. The warehouse (package transform, which owns
// DuckDB) adds submission_id, city_code and month to every row.
//
// Personal ID numbers never enter a record: an id18 column becomes four
// columns — the keyed hash that follows a person across months and cities,
// the masked form for display, the birth year and the gender the number
// carries.

// Derived columns of an id18 column, named after the column key with its
// trailing "number" replaced (id_number -> id_hash, id_masked) and, for
// birth year and gender, after the person (id_number -> birth_year,
// gender).
const (
	PartValue  = iota // the cell itself (every kind but id18)
	PartHash          // hex HMAC-SHA256 of the upper-cased number under the province key
	PartMasked        // 210102********123X
	PartBirth         // birth year from the number
	PartGender        // 男/女 from the 17th digit
	PartRow           // the Excel row the values come from (table sheets only)
)

// Field is one column of a sheet's Arrow schema and warehouse table.
type Field struct {
	Name string
	Type arrow.DataType
	Col  int // index into the spec sheet's Columns; -1 for PartRow
	Part int
}

// RowField is the column holding a row's 1-based Excel row number, so that
// every figure can be traced back to the cell it came from.
const RowField = "excel_row"

// Fields is the declarative column list of a sheet in the warehouse, in
// order: the Excel row (table sheets), then every spec column, an id18
// column expanded into its four derived columns. Two renames keep the
// warehouse unambiguous: the cover's city item is stored as city_name
// (every row carries the city's code as city_code), and a derived gender is
// left out where the sheet has its own gender column (代表人士: the
// validator makes the two agree, E_CONSISTENCY).
func Fields(sh *spec.Sheet) []Field {
	var out []Field
	if !sh.Items {
		out = append(out, Field{Name: RowField, Type: arrow.PrimitiveTypes.Int32, Col: -1, Part: PartRow})
	}
	for i, c := range sh.Columns {
		switch c.Kind {
		case spec.ID18:
			person := strings.TrimSuffix(c.Key, "id_number")
			stem := strings.TrimSuffix(c.Key, "number")
			out = append(out,
				Field{Name: stem + "hash", Type: arrow.BinaryTypes.String, Col: i, Part: PartHash},
				Field{Name: stem + "masked", Type: arrow.BinaryTypes.String, Col: i, Part: PartMasked},
				Field{Name: person + "birth_year", Type: arrow.PrimitiveTypes.Int32, Col: i, Part: PartBirth})
			if sh.Column(person+"gender") == nil {
				out = append(out, Field{Name: person + "gender", Type: arrow.BinaryTypes.String, Col: i, Part: PartGender})
			}
		default:
			name := c.Key
			if sh.Key == spec.SheetCover && c.Key == "city" {
				name = "city_name"
			}
			out = append(out, Field{Name: name, Type: arrowType(c.Kind), Col: i, Part: PartValue})
		}
	}
	return out
}

func arrowType(k spec.Kind) arrow.DataType {
	switch k {
	case spec.Bool:
		return arrow.FixedWidthTypes.Boolean
	case spec.Date:
		return arrow.FixedWidthTypes.Date32
	case spec.Int:
		return arrow.PrimitiveTypes.Int64
	case spec.Dec:
		return arrow.PrimitiveTypes.Float64
	default: // text, code18, enum, month (YYYY-MM)
		return arrow.BinaryTypes.String
	}
}

// Schema is the Arrow schema of a sheet, built from Fields.
func Schema(sh *spec.Sheet) *arrow.Schema {
	fs := Fields(sh)
	out := make([]arrow.Field, len(fs))
	for i, f := range fs {
		out[i] = arrow.Field{Name: f.Name, Type: f.Type, Nullable: f.Part != PartRow}
	}
	return arrow.NewSchema(out, nil)
}

// IDHasher computes the keyed hash of ID numbers. It is not safe for
// concurrent use; make one per goroutine.
type IDHasher struct {
	mac hash.Hash
	sum []byte
	hex []byte
}

// NewIDHasher refuses an empty or short key: a hash without a secret key
// could be reversed by hashing every possible ID number.
func NewIDHasher(key []byte) (*IDHasher, error) {
	if len(key) < 16 {
		return nil, errors.New("省级密钥过短（至少16字节）：无法安全地处理身份证号")
	}
	return &IDHasher{mac: hmac.New(sha256.New, key), sum: make([]byte, 0, sha256.Size), hex: make([]byte, 2*sha256.Size)}, nil
}

// Hash is the lower-case hex HMAC-SHA256 of the upper-cased ID number.
func (h *IDHasher) Hash(id string) string {
	h.mac.Reset()
	h.mac.Write([]byte(strings.ToUpper(id)))
	h.sum = h.mac.Sum(h.sum[:0])
	hex.Encode(h.hex, h.sum)
	return string(h.hex)
}

// IDHash is the keyed hash of one ID number (see IDHasher).
func IDHash(key []byte, id string) (string, error) {
	h, err := NewIDHasher(key)
	if err != nil {
		return "", err
	}
	return h.Hash(id), nil
}

// Records turns a validated workbook into one record batch per sheet, by
// sheet key, under the province key. The caller releases every record
// (ReleaseRecords). A workbook with an error must not get here: a cell that
// could not be read becomes null, never a guess.
func Records(mem memory.Allocator, wb *model.Workbook, key []byte) (map[string]arrow.RecordBatch, error) {
	if wb == nil {
		return nil, errors.New("ingest: Records of a nil workbook")
	}
	h, err := NewIDHasher(key)
	if err != nil {
		return nil, err
	}
	out := make(map[string]arrow.RecordBatch, len(wb.Tables))
	for k, t := range wb.Tables {
		if t == nil || t.Spec == nil {
			continue
		}
		rec, err := tableRecord(mem, t, h)
		if err != nil {
			ReleaseRecords(out)
			return nil, fmt.Errorf("sheet %s: %w", k, err)
		}
		out[k] = rec
	}
	return out, nil
}

// ReleaseRecords releases every record of a Records result.
func ReleaseRecords(recs map[string]arrow.RecordBatch) {
	for k, r := range recs {
		if r != nil {
			r.Release()
		}
		delete(recs, k)
	}
}

func tableRecord(mem memory.Allocator, t *model.Table, h *IDHasher) (rec arrow.RecordBatch, err error) {
	sh := t.Spec
	fields := Fields(sh)
	b := array.NewRecordBuilder(mem, Schema(sh))
	defer b.Release()
	b.Reserve(len(t.Rows))
	for i, f := range fields {
		if err := appendColumn(b.Field(i), f, sh, t.Rows, h); err != nil {
			return nil, fmt.Errorf("column %s: %w", f.Name, err)
		}
	}
	return b.NewRecordBatch(), nil
}

// value returns the cell, with EmptyAs applied to an empty optional cell
// (人大代表层级 empty means 无).
func value(c *spec.Column, r model.Row, col int) model.Value {
	var v model.Value
	if col < len(r.Values) {
		v = r.Values[col]
	}
	if v.OK || c.EmptyAs == "" {
		return v
	}
	if c.Kind == spec.Bool {
		n := 0.0
		if c.EmptyAs == "是" {
			n = 1
		}
		return model.Value{N: n, OK: true}
	}
	return model.Value{S: c.EmptyAs, OK: true}
}

func appendColumn(bld array.Builder, f Field, sh *spec.Sheet, rows []model.Row, h *IDHasher) error {
	if f.Part == PartRow {
		b := bld.(*array.Int32Builder)
		for _, r := range rows {
			b.Append(int32(r.Line))
		}
		return nil
	}
	c := &sh.Columns[f.Col]
	switch b := bld.(type) {
	case *array.StringBuilder:
		for _, r := range rows {
			v := value(c, r, f.Col)
			if !v.OK {
				b.AppendNull()
				continue
			}
			switch f.Part {
			case PartValue:
				b.Append(v.S)
			case PartHash:
				b.Append(h.Hash(v.S))
			case PartMasked:
				b.Append(codes.MaskID(strings.ToUpper(v.S)))
			case PartGender:
				if len(v.S) < 17 {
					b.AppendNull()
				} else if codes.IDMale(v.S) {
					b.Append("男")
				} else {
					b.Append("女")
				}
			}
		}
	case *array.Int32Builder: // birth year
		for _, r := range rows {
			v := value(c, r, f.Col)
			birth, ok := codes.IDBirth(v.S)
			if !v.OK || !ok {
				b.AppendNull()
				continue
			}
			b.Append(int32(birth.Year()))
		}
	case *array.Int64Builder:
		for _, r := range rows {
			if v := value(c, r, f.Col); v.OK {
				b.Append(v.Int())
			} else {
				b.AppendNull()
			}
		}
	case *array.Float64Builder:
		for _, r := range rows {
			if v := value(c, r, f.Col); v.OK {
				b.Append(v.N)
			} else {
				b.AppendNull()
			}
		}
	case *array.BooleanBuilder:
		for _, r := range rows {
			if v := value(c, r, f.Col); v.OK {
				b.Append(v.N != 0)
			} else {
				b.AppendNull()
			}
		}
	case *array.Date32Builder:
		for _, r := range rows {
			if v := value(c, r, f.Col); v.OK {
				b.Append(arrow.Date32(v.Days()))
			} else {
				b.AppendNull()
			}
		}
	default:
		return fmt.Errorf("no builder for %s", f.Type)
	}
	return nil
}

// findingFields are the columns of a workbook's findings as the warehouse
// keeps them (the warehouse adds submission_id).
var findingFields = []arrow.Field{
	{Name: "seq", Type: arrow.PrimitiveTypes.Int32},
	{Name: "severity", Type: arrow.BinaryTypes.String},
	{Name: "code", Type: arrow.BinaryTypes.String},
	{Name: "sheet", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "excel_row", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "excel_column", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "field", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "value", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "message", Type: arrow.BinaryTypes.String},
}

// FindingsSchema returns the schema of FindingsRecord.
func FindingsSchema() *arrow.Schema { return arrow.NewSchema(findingFields, nil) }

// FindingsRecord turns findings into a record batch, numbering them from
// first, with every ID number masked (MaskFinding): findings are kept for
// every attempt, rejected ones too, and must not carry personal numbers
// into the warehouse. The caller releases the record.
func FindingsRecord(mem memory.Allocator, book *spec.Book, fs []model.Finding, first int) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, FindingsSchema())
	defer b.Release()
	b.Reserve(len(fs))
	seq := b.Field(0).(*array.Int32Builder)
	str := func(i int, s string, nullable bool) {
		sb := b.Field(i).(*array.StringBuilder)
		if s == "" && nullable {
			sb.AppendNull()
		} else {
			sb.Append(s)
		}
	}
	row := b.Field(4).(*array.Int32Builder)
	for i, f := range fs {
		f = model.MaskFinding(book, f)
		seq.Append(int32(first + i))
		str(1, string(f.Severity), false)
		str(2, f.Code, false)
		str(3, f.Sheet, true)
		if f.Row > 0 {
			row.Append(int32(f.Row))
		} else {
			row.AppendNull()
		}
		str(5, f.Column, true)
		str(6, f.Field, true)
		str(7, f.Value, true)
		str(8, f.Message, false)
	}
	return b.NewRecordBatch()
}
