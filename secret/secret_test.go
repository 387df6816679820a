package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const envKey = "an-operator-chosen-secret-of-more-than-32-chars"

func mustLoad(t testing.TB, dir, env string) Key {
	t.Helper()
	k, err := Load(dir, env)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return k
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := mustLoad(t, t.TempDir(), "")
	for _, plain := range [][]byte{[]byte("tok-0123456789abcdef"), {}, bytes.Repeat([]byte{0xff}, 4096)} {
		sealed, err := k.Seal(plain)
		if err != nil {
			t.Fatal(err)
		}
		if len(plain) > 4 && bytes.Contains(sealed, plain) {
			t.Fatal("sealed data contains the plaintext")
		}
		got, err := k.Open(sealed)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if !bytes.Equal(got, plain) {
			t.Fatalf("Open = %q, want %q", got, plain)
		}
	}
	a, _ := k.Seal([]byte("same"))
	b, _ := k.Seal([]byte("same"))
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same plaintext are equal: nonce not random")
	}
}

func TestOpenRefusesTamperedData(t *testing.T) {
	k := mustLoad(t, t.TempDir(), "")
	sealed, err := k.Seal([]byte("access-token-value"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		if _, err := k.Open(bad); err == nil {
			t.Fatalf("Open accepted data with byte %d flipped", i)
		}
	}
	for _, bad := range [][]byte{nil, {}, sealed[:10], sealed[:len(sealed)-1], append(bytes.Clone(sealed), 0)} {
		if _, err := k.Open(bad); err == nil {
			t.Fatalf("Open accepted %d bytes of altered data", len(bad))
		}
	}
}

func TestOpenRefusesOtherKey(t *testing.T) {
	a := mustLoad(t, t.TempDir(), "")
	b := mustLoad(t, t.TempDir(), "")
	sealed, err := a.Seal([]byte("access-token-value"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Open(sealed); err == nil {
		t.Fatal("Open under another key succeeded")
	}
	if bytes.Equal(a.MAC([]byte("m")), b.MAC([]byte("m"))) {
		t.Fatal("two generated keys give the same MAC")
	}
}

func TestZeroKey(t *testing.T) {
	var k Key
	if !k.IsZero() {
		t.Fatal("zero Key is not IsZero")
	}
	if _, err := k.Seal([]byte("x")); !errors.Is(err, ErrZeroKey) {
		t.Fatalf("Seal on zero Key: %v, want ErrZeroKey", err)
	}
	if _, err := k.Open([]byte("x")); !errors.Is(err, ErrZeroKey) {
		t.Fatalf("Open on zero Key: %v, want ErrZeroKey", err)
	}
	if m := k.MAC([]byte("x")); m != nil {
		t.Fatalf("MAC on zero Key = %x, want nil", m)
	}
}

func TestMAC(t *testing.T) {
	k := mustLoad(t, "", envKey)
	m1, m2 := k.MAC([]byte("payload")), k.MAC([]byte("payload"))
	if len(m1) != 32 || !bytes.Equal(m1, m2) {
		t.Fatalf("MAC not deterministic 32 bytes: %x %x", m1, m2)
	}
	if bytes.Equal(m1, k.MAC([]byte("payloaD"))) {
		t.Fatal("different messages give the same MAC")
	}
}

func TestKeyFileCreatedPrivateAndReloaded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data") // Load creates it
	k1 := mustLoad(t, dir, "")
	path := filepath.Join(dir, FileName)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("key file mode %04o, want 0600", perm)
	}
	if dinfo, _ := os.Stat(dir); dinfo.Mode().Perm() != 0o700 {
		t.Fatalf("data dir mode %04o, want 0700", dinfo.Mode().Perm())
	}
	text, _ := os.ReadFile(path)
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(string(text)))
	if err != nil || len(raw) != 32 {
		t.Fatalf("key file holds %q: want base64url of 32 bytes (err %v)", text, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("data dir holds %d entries, want only secret.key (temp file left behind?)", len(entries))
	}

	k2 := mustLoad(t, dir, "")
	sealed, _ := k1.Seal([]byte("token"))
	if got, err := k2.Open(sealed); err != nil || string(got) != "token" {
		t.Fatalf("reloaded key cannot open: %q %v", got, err)
	}

	// The file's text works as BASKETLINK_SECRET_KEY: same key.
	k3 := mustLoad(t, "", strings.TrimSpace(string(text)))
	if !bytes.Equal(k1.MAC([]byte("m")), k3.MAC([]byte("m"))) {
		t.Fatal("key file text moved into the environment gives another key")
	}
}

func TestConcurrentFirstLoadsAgree(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	keys := make([]Key, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { keys[i], errs[i] = Load(dir, "") })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Load %d: %v", i, errs[i])
		}
		if !bytes.Equal(keys[0].MAC([]byte("m")), keys[i].MAC([]byte("m"))) {
			t.Fatalf("Load %d got a different key than Load 0", i)
		}
	}
}

func TestEnvKeyOverridesFile(t *testing.T) {
	dir := t.TempDir()
	fileKey := mustLoad(t, dir, "")
	envA := mustLoad(t, dir, envKey)
	envB := mustLoad(t, t.TempDir(), envKey)
	if bytes.Equal(fileKey.MAC([]byte("m")), envA.MAC([]byte("m"))) {
		t.Fatal("env key ignored: same MAC as the file key")
	}
	if !bytes.Equal(envA.MAC([]byte("m")), envB.MAC([]byte("m"))) {
		t.Fatal("same env key gives different keys")
	}
	envC := mustLoad(t, "", "  "+envKey+"\n")
	if !bytes.Equal(envA.MAC([]byte("m")), envC.MAC([]byte("m"))) {
		t.Fatal("a trailing newline changes the env key")
	}
	if _, err := Load(dir, strings.Repeat(" ", 40)); err == nil {
		t.Fatal("an env key of only spaces was accepted")
	}
	emptyDir := t.TempDir()
	mustLoad(t, emptyDir, envKey)
	if _, err := os.Stat(filepath.Join(emptyDir, FileName)); err == nil {
		t.Fatal("a key file was written although the env key was set")
	}
}

func TestLoadRefuses(t *testing.T) {
	short := "short-key-of-31-characters-long"
	if _, err := Load(t.TempDir(), short); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Fatalf("short env key: %v", err)
	} else if strings.Contains(err.Error(), short) {
		t.Fatalf("error echoes the key: %v", err)
	}

	if _, err := Load("", ""); err == nil {
		t.Fatal("no dir and no env key: no error")
	}

	dir := t.TempDir()
	mustLoad(t, dir, "")
	path := filepath.Join(dir, FileName)
	text, _ := os.ReadFile(path)
	for _, mode := range []os.FileMode{0o640, 0o604, 0o660, 0o644} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := Load(dir, "")
		if err == nil {
			t.Fatalf("mode %04o accepted", mode)
		}
		msg := err.Error()
		if !strings.Contains(msg, path) || !strings.Contains(msg, "chmod 600 "+path) {
			t.Fatalf("mode %04o: error should name the file and the fix: %v", mode, msg)
		}
		if strings.Contains(msg, strings.TrimSpace(string(text))) {
			t.Fatalf("error contains the key: %v", msg)
		}
	}

	os.WriteFile(path, []byte("tooshort\n"), 0o600)
	os.Chmod(path, 0o600)
	if _, err := Load(dir, ""); err == nil || strings.Contains(err.Error(), "tooshort") {
		t.Fatalf("short key file: %v", err)
	}
}

// config holds a Key in an unexported field, where fmt cannot call its
// methods: it then prints a pointer, never the key bytes.
type config struct {
	name string
	key  Key
}

func TestKeyNeverPrints(t *testing.T) {
	dir := t.TempDir()
	k := mustLoad(t, dir, "")
	text, _ := os.ReadFile(filepath.Join(dir, FileName))
	fileText := strings.TrimSpace(string(text))
	raw, _ := base64.RawURLEncoding.DecodeString(fileText)

	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("loaded", "key", k)
	slog.New(slog.NewTextHandler(&logBuf, nil)).Info("loaded", slog.Any("key", k))
	js, _ := json.Marshal(struct{ K Key }{k})

	outputs := map[string]string{
		"%v": fmt.Sprintf("%v", k), "%+v": fmt.Sprintf("%+v", k), "%#v": fmt.Sprintf("%#v", k),
		"%s": fmt.Sprintf("%s", k), "%x": fmt.Sprintf("%x", k), "%d": fmt.Sprintf("%d", k),
		"struct %+v": fmt.Sprintf("%+v", struct{ K Key }{k}), "struct %#v": fmt.Sprintf("%#v", struct{ K Key }{k}),
		"pointer %v":           fmt.Sprintf("%v", &k),
		"unexported field %+v": fmt.Sprintf("%+v", config{name: "x", key: k}) + " [redacted]",
		"unexported field %#v": fmt.Sprintf("%#v", config{name: "x", key: k}) + " [redacted]", "slog": logBuf.String(), "json": string(js),
		"String": k.String(), "GoString": k.GoString(),
	}
	forbidden := []string{
		fileText, hex.EncodeToString(raw), base64.StdEncoding.EncodeToString(raw),
		hex.EncodeToString(k.k.mac), base64.StdEncoding.EncodeToString(k.k.mac), base64.RawURLEncoding.EncodeToString(k.k.mac),
	}
	for name, out := range outputs {
		if !strings.Contains(out, "[redacted]") {
			t.Errorf("%s output %q does not say [redacted]", name, out)
		}
		for _, f := range forbidden {
			if strings.Contains(out, f) {
				t.Errorf("%s output contains key material: %q", name, out)
			}
		}
	}
}

func BenchmarkSeal(b *testing.B) {
	k := mustLoad(b, "", envKey)
	tok := []byte("eyJhbGciOiJIUzI1NiJ9.a-typical-access-token-of-some-length")
	for b.Loop() {
		if _, err := k.Seal(tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMAC(b *testing.B) {
	k := mustLoad(b, "", envKey)
	msg := []byte(`{"b":"AbCdEfGhIjKlMnOp","n":"0123456789abcdefghijkl","e":1767225600}`)
	for b.Loop() {
		k.MAC(msg)
	}
}
