package store

import (
	"slices"
	"testing"
)

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

// TestCountRowsInIDOrder: a flush's rows come in the order of the ids as
// strings (base64's alphabet is not in ASCII order, so not the keys' order).
func TestCountRowsInIDOrder(t *testing.T) {
	counts := map[IDKey]Counts{}
	var ids []string
	for i := range 2000 {
		id, err := newID()
		if err != nil {
			t.Fatal(err)
		}
		k, _ := KeyOf(id)
		counts[k] = Counts{Views: int64(i)}
		ids = append(ids, id)
	}
	for _, id := range []string{"AAAAAAAAAAAAAAAA", "________________", "----------------", "0000000000000000", "aaaaaaaaaaaaaaaa", "zzzzzzzzzzzzzzzz"} {
		k, _ := KeyOf(id)
		counts[k] = Counts{Continues: 1}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	rows := countRows(counts)
	if len(rows) != len(ids) {
		t.Fatalf("%d rows for %d ids", len(rows), len(ids))
	}
	for i, r := range rows {
		k, _ := KeyOf(ids[i])
		if string(r.id[:]) != ids[i] || r.n != counts[k] {
			t.Fatalf("row %d is %s %+v, want %s %+v", i, r.id, r.n, ids[i], counts[k])
		}
	}
}
