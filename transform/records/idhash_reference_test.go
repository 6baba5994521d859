package records

import "testing"

// Fixed HMAC-SHA256 vectors for the keyed ID hash, computed outside ufa
// (issue 12), e.g.
//
//	printf %s 11010519491231002X | openssl dgst -sha256 -hmac 'issue 12 HMAC reference key 32B!'
//
// The ID is hashed upper-cased: a clerk's lower-case x must give the same
// person as an upper-case X, or one person becomes two across months.
func TestIDHashReference(t *testing.T) {
	key := []byte("issue 12 HMAC reference key 32B!")
	const x = "2684d7e42050b8c55aca492f2acb067db42ec819869f87c4bf48bc401008e226"
	for _, c := range []struct{ id, want string }{
		{"11010519491231002X", x},
		{"11010519491231002x", x}, // HMAC of the raw lower-case bytes would be ccdb0000ad36…
		{"210102199003071233", "22acbc623c7246c6b17c15b4230e3182f68d98c40f5c6f646eecc5aef4efb9f6"},
	} {
		got, err := IDHash(key, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("IDHash(%s) = %s, want %s", c.id, got, c.want)
		}
	}
	// One hasher reused for many IDs gives each its own hash.
	h, err := NewIDHasher(key)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := h.Hash("11010519491231002x"), h.Hash("210102199003071233"); a != x || b != "22acbc623c7246c6b17c15b4230e3182f68d98c40f5c6f646eecc5aef4efb9f6" {
		t.Errorf("reused hasher: %s %s", a, b)
	}
	for _, short := range [][]byte{nil, []byte("15 bytes only!!")} {
		if _, err := IDHash(short, "11010519491231002X"); err == nil {
			t.Errorf("key of %d bytes accepted", len(short))
		}
	}
	if _, err := IDHash([]byte("exactly 16 bytes"), "11010519491231002X"); err != nil {
		t.Errorf("16-byte key refused: %v", err)
	}
}
