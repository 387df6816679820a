package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"basketlink/store"
)

// TestBackupWhileServing: a backup taken while serve saves baskets is a
// whole, consistent database holding every basket saved before it started.
func TestBackupWhileServing(t *testing.T) {
	dataDir := t.TempDir()
	srv := startServeAt(t, dataDir, nil)
	legs := liveBasket(t)

	var mu sync.Mutex
	var ids []string
	var stop atomic.Bool
	post := func() error {
		resp, err := http.Post(srv.URL+"/api/v1/baskets", "application/json", strings.NewReader(`{"legs":`+legs+`}`))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var c created
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusCreated || json.Unmarshal(body, &c) != nil {
			t.Errorf("create: %d %s", resp.StatusCode, body)
			return nil
		}
		mu.Lock()
		ids = append(ids, c.ID)
		mu.Unlock()
		return nil
	}
	for range 50 {
		if err := post(); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for i := 0; i < 2000 && !stop.Load(); i++ {
				if err := post(); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	deadline := time.Now().Add(10 * time.Second)
	for { // the writers are busy when the backup starts
		mu.Lock()
		n := len(ids)
		mu.Unlock()
		if n >= 100 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	mu.Lock()
	before := append([]string(nil), ids...)
	mu.Unlock()
	file := filepath.Join(t.TempDir(), "backup.db")
	code, out, errOut := runCommand("backup", "--data-dir", dataDir, "--to", file)
	stop.Store(true)
	wg.Wait()
	if code != exitOK || !strings.Contains(out, "wrote "+file) {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	info, err := os.Stat(file)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v, want mode 0600", info, err)
	}

	raw, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var check string
	var n int
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	if err := raw.QueryRow(`SELECT COUNT(*) FROM baskets`).Scan(&n); err != nil || n < len(before) || n > len(ids) {
		t.Fatalf("%d baskets in the backup (%v); %d were saved before it began, %d in all", n, err, len(before), len(ids))
	}
	t.Logf("backup holds %d baskets: %d saved before it began, %d by the end", n, len(before), len(ids))

	// The backup is a data dir's database as it stands: restore by copying.
	restored := t.TempDir()
	data, _ := os.ReadFile(file)
	os.WriteFile(filepath.Join(restored, store.DBFileName), data, 0o600)
	db := openStore(t, restored)
	for _, id := range before {
		if _, err := db.Basket(context.Background(), id); err != nil {
			t.Fatalf("basket %s saved before the backup: %v", id, err)
		}
	}

	// Never overwrites; says what is wrong.
	code, _, errOut = runCommand("backup", "--data-dir", dataDir, "--to", file)
	if after, _ := os.ReadFile(file); code != exitUsage || !strings.Contains(errOut, "already exists") || !bytes.Equal(after, data) {
		t.Fatalf("backup onto an existing file: %d %s", code, errOut)
	}
}

func TestBackupRefuses(t *testing.T) {
	to := filepath.Join(t.TempDir(), "b.db")
	tests := []struct {
		name string
		args []string
		env  map[string]string
		says string
	}{
		{"no database", []string{"--data-dir", t.TempDir(), "--to", to}, nil, "no database at"},
		{"no --to", []string{"--data-dir", t.TempDir()}, nil, "--to is required"},
		{"postgres", []string{"--data-dir", t.TempDir(), "--to", to}, map[string]string{"BASKETLINK_DATABASE_URL": "postgres://u:pw-0123456789@db/x"}, "pg_dump"},
		{"argument", []string{"--to", to, "extra"}, nil, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), append([]string{"backup"}, tt.args...), strings.NewReader(""), &out, &errOut,
				func(k string) string { return tt.env[k] })
			if code != exitUsage || !strings.Contains(errOut.String(), tt.says) {
				t.Fatalf("%d %s, want exit 2 saying %q", code, errOut.String(), tt.says)
			}
			if strings.Contains(errOut.String(), "pw-0123456789") {
				t.Fatal("the database password is in the message")
			}
			if _, err := os.Stat(to); err == nil {
				t.Fatal("a refused backup left a file")
			}
		})
	}
}
