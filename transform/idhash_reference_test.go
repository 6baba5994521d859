package transform

import (
	"encoding/hex"
	"testing"

	"ufa/internal/testing/testbook"
)

// Fixed vectors computed outside ufa (python hmac/hashlib, openssl dgst),
// for the demo key, the key fingerprint and the hashes the warehouse
// stores (issue 12).
func TestKeyReference(t *testing.T) {
	// sha256("ufa public demo key - NOT SECRET - never use for real data")
	if got := hex.EncodeToString(DemoKey()); got != "7f13775b9dc50bdcd794d55e2c8e8d5c15e1b0fd32df02fc2e2b40642c3ff4ab" {
		t.Errorf("DemoKey = %s", got)
	}
	// First 32 hex digits of HMAC-SHA256(key, "ufa warehouse key fingerprint v1").
	for _, c := range []struct {
		key  []byte
		want string
	}{
		{[]byte("issue 12 HMAC reference key 32B!"), "3585c7543a9d8f8b664553c5ccddc26b"},
		{DemoKey(), "d701c75955fa7b29ef47d0d35524b04f"},
	} {
		if got := Fingerprint(c.key); got != c.want {
			t.Errorf("Fingerprint(%q) = %s, want %s", c.key, got, c.want)
		}
	}
}

// A representative whose ID the clerk typed with a lower-case x is stored
// under the hash of the upper-cased ID, in every sheet that names her.
func TestWarehouseIDHashReference(t *testing.T) {
	w, _ := openTest(t)
	// 210103 1975-11-20 268, S = 200 ≡ 2 (mod 11) → X; 8 even: a woman.
	// HMAC-SHA256(testKey, "21010319751120268X"):
	const want = "7306afc466eade7ddbe7d59faa6ce0b9177e4ce0c748c886f92820ae786849e8"
	b := testbook.Valid()
	replaceAll(b, testbook.Rep(1), "21010319751120268x")
	l := submit(t, w, writeBook(t, t.TempDir(), b, testbook.FileName))
	if l.Outcome != Accepted {
		t.Fatalf("outcome %s", l.Outcome)
	}
	for _, q := range []string{
		"SELECT id_hash FROM cur_representatives WHERE name = '王芳'",
		"SELECT id_hash FROM cur_participants WHERE activity_id = 'SY-2026-10-02' AND id_masked LIKE '%268X'",
		"SELECT id_hash FROM cur_suggestions",
	} {
		var got string
		if err := w.DB().QueryRow(q).Scan(&got); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got != want {
			t.Errorf("%s: %s, want %s", q, got, want)
		}
	}
}
