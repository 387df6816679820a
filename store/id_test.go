package store

import "testing"

// TestIDKey: every basket id has a key that spells it again; nothing else has one.
func TestIDKey(t *testing.T) {
	for range 1000 {
		id, err := newID()
		if err != nil {
			t.Fatal(err)
		}
		k, ok := KeyOf(id)
		if !ok || k.ID() != id {
			t.Fatalf("KeyOf(%q) = %v, %v: spells %q", id, k, ok, k.ID())
		}
	}
	for _, s := range []string{"", "short", "aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaa=", "aaaaaaaaaaaaaaa+", "aaaaaaaaaaaaaaa/", "ééééééééé"} {
		if _, ok := KeyOf(s); ok {
			t.Errorf("KeyOf(%q) is ok", s)
		}
	}
}
