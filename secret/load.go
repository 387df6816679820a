package secret

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// FileName is the key file inside the data directory.
const FileName = "secret.key"

// Load returns the secret key. fromEnv (BASKETLINK_SECRET_KEY) wins when it is
// not empty: one or more keys, comma (or line) separated, the first the current one,
// each at least MinLength characters, surrounding whitespace ignored.
// Otherwise the keys are read from <dataDir>/secret.key, one per line, the
// first the current one; when that file does not exist, 32 random bytes are
// generated and written there (base64url text, mode 0600), created
// exclusively so that two processes starting together end up with one key.
// A key file that group or others may access is refused.
func Load(dataDir, fromEnv string) (Key, error) {
	if fromEnv != "" {
		// Surrounding whitespace (a newline from a secrets file) is not part
		// of a key, as in secret.key.
		// Commas separate keys; so do line breaks, for a key list read from
		// a file (BASKETLINK_SECRET_KEY_FILE) one key per line.
		text := strings.TrimSpace(strings.ReplaceAll(fromEnv, "\r\n", "\n"))
		ikms, err := splitKeys(strings.Split(strings.ReplaceAll(text, "\n", ","), ","), "BASKETLINK_SECRET_KEY", "key")
		if err != nil {
			return Key{}, err
		}
		return newKey(ikms...)
	}
	if dataDir == "" {
		return Key{}, errors.New("secret: no data directory to keep secret.key in, and BASKETLINK_SECRET_KEY is not set")
	}
	path := filepath.Join(dataDir, FileName)
	text, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		text, err = createKeyFile(dataDir, path)
	}
	if err != nil {
		return Key{}, err
	}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" { // blank lines between keys are fine
			lines = append(lines, l)
		}
	}
	ikms, err := splitKeys(lines, "key file "+path, "line")
	if err != nil {
		return Key{}, err
	}
	return newKey(ikms...)
}

// splitKeys trims each key and checks its length. Errors say where the short
// key is (its position, as "key 2" or "line 2"), never what it holds.
func splitKeys(parts []string, where, unit string) ([][]byte, error) {
	var ikms [][]byte
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if n := len([]rune(p)); n < MinLength {
			if len(parts) == 1 {
				return nil, fmt.Errorf("secret: %s has %d characters (without surrounding spaces); at least %d are required", where, n, MinLength)
			}
			return nil, fmt.Errorf("secret: %s: %s %d of %d has %d characters (without surrounding spaces); each key needs at least %d", where, unit, i+1, len(parts), n, MinLength)
		}
		ikms = append(ikms, []byte(p))
	}
	return ikms, nil
}

// readKeyFile reads and checks an existing key file. Its errors name the file
// and never its contents.
func readKeyFile(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		return "", fmt.Errorf("secret: key file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return "", fmt.Errorf("secret: key file %s is not a regular file", path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return "", fmt.Errorf("secret: key file %s is accessible by group or others (mode %04o); restrict it with: chmod 600 %s", path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("secret: key file: %w", err)
	}
	text := strings.TrimSpace(string(b))
	if n := len([]rune(text)); n < MinLength {
		return "", fmt.Errorf("secret: key file %s holds %d characters; at least %d are required (delete it to generate a new key, which invalidates stored tokens)", path, n, MinLength)
	}
	return text, nil // one key per line; Load splits them
}

// createKeyFile writes a new key to a temporary file and links it into place:
// the link fails if path exists, so the file appears complete or not at all,
// and when two processes race, the loser reads the winner's key.
func createKeyFile(dataDir, path string) (string, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", fmt.Errorf("secret: create data directory: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("secret: generate key: %w", err)
	}
	text := base64.RawURLEncoding.EncodeToString(raw)

	tmp, err := os.CreateTemp(dataDir, ".secret.key-*") // mode 0600
	if err != nil {
		return "", fmt.Errorf("secret: create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(text + "\n"); err != nil {
		tmp.Close()
		return "", fmt.Errorf("secret: write key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("secret: sync key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("secret: close key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readKeyFile(path)
		}
		return "", fmt.Errorf("secret: put key file in place: %w", err)
	}
	if d, err := os.Open(dataDir); err == nil {
		_ = d.Sync() // make the new directory entry durable; best effort
		d.Close()
	}
	return text, nil
}
