package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	oldKey  = "the-old-key-that-sealed-last-months-tokens"
	nextKey = "the-new-key-put-first-when-rotating-0123"
)

// TestRotation: with "new,old" the new key signs and seals, and both verify
// and open; the old key alone cannot read what the new one made.
func TestRotation(t *testing.T) {
	old := mustLoad(t, "", oldKey)
	fresh := mustLoad(t, "", nextKey)
	rotated := mustLoad(t, "", nextKey+", "+oldKey)
	if rotated.Len() != 2 || old.Len() != 1 || (Key{}).Len() != 0 {
		t.Fatalf("Len: %d %d %d", rotated.Len(), old.Len(), Key{}.Len())
	}

	sealedOld, _ := old.Seal([]byte("token sealed last month"))
	if got, err := rotated.Open(sealedOld); err != nil || string(got) != "token sealed last month" {
		t.Fatalf("rotated key opens the old seal: %q %v", got, err)
	}
	if _, err := fresh.Open(sealedOld); err == nil {
		t.Fatal("the new key alone opened the old seal")
	}
	sealedNew, _ := rotated.Seal([]byte("token sealed today"))
	if got, err := fresh.Open(sealedNew); err != nil || string(got) != "token sealed today" {
		t.Fatalf("the rotated key seals with the new key: %q %v", got, err)
	}
	if _, err := old.Open(sealedNew); err == nil {
		t.Fatal("the old key opened a seal made after the rotation")
	}

	msg := []byte("state payload")
	if !bytes.Equal(rotated.MAC(msg), fresh.MAC(msg)) {
		t.Fatal("the rotated key does not sign with the new key")
	}
	if !rotated.VerifyMAC(msg, old.MAC(msg)) || !rotated.VerifyMAC(msg, fresh.MAC(msg)) {
		t.Fatal("the rotated key does not verify both keys' MACs")
	}
	if fresh.VerifyMAC(msg, old.MAC(msg)) || rotated.VerifyMAC([]byte("other"), old.MAC(msg)) || (Key{}).VerifyMAC(msg, nil) {
		t.Fatal("VerifyMAC accepted a MAC it should not")
	}

	// The key file: one key per line, the first current; blank lines ignored.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("\n"+nextKey+"\n\n  "+oldKey+"  \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fromFile := mustLoad(t, dir, "")
	if fromFile.Len() != 2 || !bytes.Equal(fromFile.MAC(msg), fresh.MAC(msg)) || !fromFile.VerifyMAC(msg, old.MAC(msg)) {
		t.Fatal("the two-line key file is not new-then-old")
	}
	if got, err := fromFile.Open(sealedOld); err != nil || string(got) != "token sealed last month" {
		t.Fatalf("the key file's old key: %q %v", got, err)
	}
}

func TestRotationRefuses(t *testing.T) {
	const short = "short-one"
	for _, env := range []string{nextKey + "," + short, nextKey + ",", "," + nextKey, nextKey + ", ," + oldKey} {
		_, err := Load(t.TempDir(), env)
		if err == nil || !strings.Contains(err.Error(), "BASKETLINK_SECRET_KEY: key ") || !strings.Contains(err.Error(), " of ") {
			t.Errorf("Load(%q): %v, want it to name the short key's position", env, err)
			continue
		}
		if strings.Contains(err.Error(), short) || strings.Contains(err.Error(), nextKey) {
			t.Errorf("the error repeats a key: %v", err)
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, FileName), []byte(nextKey+"\n"+short+"\n"), 0o600)
	_, err := Load(dir, "")
	if err == nil || !strings.Contains(err.Error(), "line 2 of 2") || strings.Contains(err.Error(), short) {
		t.Fatalf("a short second line in the key file: %v", err)
	}
}

// A key list read from a file into the setting (BASKETLINK_SECRET_KEY_FILE)
// has one key per line.
func TestRotationKeysOnLines(t *testing.T) {
	k := mustLoad(t, "", nextKey+"\r\n"+oldKey+"\n")
	old := mustLoad(t, "", oldKey)
	if k.Len() != 2 || !k.VerifyMAC([]byte("m"), old.MAC([]byte("m"))) {
		t.Fatalf("two lines gave %d keys", k.Len())
	}
}
