package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"basketlink/store"
)

// tokenRecorder is a reverse proxy in front of the simulator that notes every
// access token the simulator hands out, so a test knows what to look for.
type tokenRecorder struct {
	mu     sync.Mutex
	tokens []string
}

func (r *tokenRecorder) proxy(t *testing.T, target string) *httptest.Server {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := httputil.NewSingleHostReverseProxy(u)
	p.ModifyResponse = func(resp *http.Response) error {
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if json.Unmarshal(body, &tok) == nil && tok.AccessToken != "" {
			r.mu.Lock()
			r.tokens = append(r.tokens, tok.AccessToken)
			r.mu.Unlock()
		}
		return nil
	}
	// The simulator checks the Host it is reached at against nothing, but keep it honest.
	d := p.Director
	p.Director = func(req *http.Request) { d(req); req.Host = u.Host }
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv
}

func (r *tokenRecorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.tokens...)
}

func TestNoTokenStoredWithPickupOff(t *testing.T) { eachDB(t, testNoTokenStoredWithPickupOff) }

// With token pickup off (the default), a completed sign-in leaves no token in
// the database: no sealed token in any row, and on SQLite not one byte of the
// token the simulator issued in the database files, WAL included.
func testNoTokenStoredWithPickupOff(t *testing.T, newDataDir func() string) {
	dataDir := newDataDir()
	sim := startSimCommand(t, "--sim-auto", "approve", "--sim-redirect-uri", replicaPublicURL+"/callback")
	rec := &tokenRecorder{}
	broker := rec.proxy(t, sim.base)
	env := map[string]string{"TRADEJINI_CLIENT_SECRET": "SIMSECRET"}
	srv := startServeWith(t, dataDir, nil, env, "--client-id", "SIMKEY", "--base-url", broker.URL, "--public-url", replicaPublicURL)
	b := newBrowser(t, nil)
	c := createBasket(t, b, srv.URL, liveBasket(t), "no token kept")
	for range 3 {
		oc, _ := click(t, b, onReplica(t, c.ShortURL, srv))
		status, _, body := b.get(onReplica(t, approve(t, b, oc), srv))
		if status != http.StatusOK {
			t.Fatalf("callback: %d %s", status, body)
		}
	}
	tokens := rec.all()
	if len(tokens) != 3 {
		t.Fatalf("the simulator issued %d tokens, want 3", len(tokens))
	}
	scan := func(when string) {
		if databaseURL(dataDir) != "" {
			return
		}
		files, _ := filepath.Glob(filepath.Join(dataDir, store.DBFileName+"*"))
		if len(files) == 0 {
			t.Fatal("no database files to scan")
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, tok := range tokens {
				if bytes.Contains(data, []byte(tok)) || bytes.Contains(data, []byte(tok[len(tok)-12:])) {
					t.Fatalf("%s: %s holds an access token", when, f)
				}
			}
		}
	}
	scan("while serving")
	if code := srv.Stop(); code != exitOK {
		t.Fatalf("stop: %d", code)
	}
	scan("after shutdown")
	outs, err := openStore(t, dataDir).Outcomes(context.Background(), c.ID)
	if err != nil || len(outs) != 3 {
		t.Fatalf("outcomes %+v %v", outs, err)
	}
	for _, o := range outs {
		if o.Status != store.StatusOK || o.SealedToken != nil {
			t.Fatalf("outcome %+v keeps a token", o)
		}
	}
}
