package transform

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"ufa/internal/codes"
	"ufa/internal/testing/testbook"
)

// No clear ID number of the input is anywhere in the warehouse file: not
// in the sheet tables, not in the findings of a rejected workbook, not in
// the cross-city warnings. Compression is switched off so that every
// stored string is in the file verbatim, and a positive control (credit
// codes and masked numbers, which are stored) shows the search would see
// an ID if one were there.
func TestNoClearIDInWarehouseFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ufa.duckdb")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	w, err := Open(ctx, path, Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB().Exec("SET force_compression = 'uncompressed'"); err != nil {
		t.Fatal(err)
	}
	if err := w.UseKey(ctx, testKey); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sy, dl := city(t, "沈阳市"), city(t, "大连市")

	var ids []string
	collect := func(b *testbook.Book) {
		for _, sh := range []string{"代表人士", "活动参加人员", "建言献策", "提名举荐"} {
			s := b.Sheet(sh)
			for _, r := range s.Rows[1:] {
				for _, v := range r {
					if str, ok := v.(string); ok && len(str) == 18 && strings.Trim(str[:17], "0123456789") == "" {
						ids = append(ids, str)
					}
				}
			}
		}
	}

	good := testbook.ValidFor(sy, "2026-07")
	collect(good)
	submit(t, w, writeBook(t, dir, good, testbook.FileNameFor(sy, "2026-07")))

	// 大连 shares a person with 沈阳 (a cross-city warning) and has a
	// rejected first attempt whose findings quote numbers: a stranger who
	// is not a representative (E_REF) and a mistyped number (E_ID_NUMBER).
	other := testbook.ValidFor(dl, "2026-07")
	replaceAll(other, other.Get("代表人士", 0, "公民身份号码").(string), good.Get("代表人士", 0, "公民身份号码").(string))
	bad := testbook.ValidFor(dl, "2026-07")
	stranger := testbook.IDNumber("210202", "19700101", 555, false)
	bad.Set("活动参加人员", 0, "公民身份号码", stranger)
	typo := other.Get("代表人士", 2, "公民身份号码").(string)
	typo = typo[:17] + string("0123456789"[(strings.IndexByte("0123456789X", typo[17])+1)%10])
	bad.Set("代表人士", 2, "公民身份号码", typo)
	collect(other)
	collect(bad)
	ids = append(ids, stranger, typo)

	if l := submit(t, w, writeBook(t, t.TempDir(), bad, testbook.FileNameFor(dl, "2026-07"))); l.Outcome != Rejected {
		t.Fatalf("bad workbook: %+v", l)
	}
	if l := submit(t, w, writeBook(t, dir, other, testbook.FileNameFor(dl, "2026-07"))); len(l.CrossCity) == 0 {
		t.Fatalf("no cross-city warning: %+v", l)
	}
	var findings int
	w.DB().QueryRow("SELECT count(*) FROM findings WHERE code IN ('E_REF', 'E_ID_NUMBER', 'W_CROSS_CITY_REP')").Scan(&findings)
	if findings < 3 {
		t.Fatalf("only %d findings quoting ID numbers were stored; the test would prove nothing", findings)
	}
	if _, err := w.DB().Exec("CHECKPOINT"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	var data []byte
	for _, p := range []string{path, path + ".wal"} {
		b, err := os.ReadFile(p)
		if err == nil {
			data = append(data, b...)
		}
	}
	if len(ids) < 10 {
		t.Fatalf("only %d IDs collected", len(ids))
	}
	for _, id := range ids {
		for _, form := range []string{id, strings.ToLower(id), id[6:]} {
			if bytes.Contains(data, []byte(form)) {
				t.Errorf("the warehouse file holds %q (from ID %s)", form, codes.MaskID(id))
			}
		}
	}
	// Positive control: what is stored is found.
	for _, stored := range []string{good.Get("社会组织", 0, "统一社会信用代码").(string), codes.MaskID(stranger), codes.MaskID(typo)} {
		if !bytes.Contains(data, []byte(stored)) {
			t.Fatalf("control %q is not in the file verbatim: the search cannot see stored strings", stored)
		}
	}
}
