package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"basketlink/internal/pgtest"
	"basketlink/state"
	"basketlink/store"
)

// replicaPublicURL is the address both replicas are known by, as behind a
// load balancer; the test talks to each replica directly instead.
const replicaPublicURL = "http://127.0.0.1:1"

// onReplica points u (a URL under the public address) at the replica srv.
func onReplica(t *testing.T, u string, srv *testServer) string {
	t.Helper()
	if !strings.HasPrefix(u, replicaPublicURL+"/") {
		t.Fatalf("%s is not under the public URL %s", u, replicaPublicURL)
	}
	return srv.URL + strings.TrimPrefix(u, replicaPublicURL)
}

// replicas are two serve processes on one PostgreSQL database with one
// secret key, and the simulator as their broker.
type replicas struct {
	a, b       *testServer
	sim        *simCommand
	dbURL      string
	dirA, dirB string
	env        map[string]string
	args       []string
}

func startReplicas(t testing.TB) *replicas {
	t.Helper()
	r := &replicas{dbURL: pgtest.URL(t)}
	r.sim = startSimCommand(t, "--sim-auto", "approve", "--sim-redirect-uri", replicaPublicURL+"/callback")
	r.env = map[string]string{
		"BASKETLINK_DATABASE_URL": r.dbURL,
		"BASKETLINK_SECRET_KEY":   "one-key-shared-by-both-replicas-0123456789",
		"TRADEJINI_CLIENT_SECRET": "SIMSECRET",
	}
	r.args = []string{"--client-id", "SIMKEY", "--base-url", r.sim.base, "--public-url", replicaPublicURL}
	r.dirA, r.dirB = t.TempDir(), t.TempDir() // two machines: nothing shared but the database and the key
	r.a = startServeWith(t, r.dirA, nil, r.env, r.args...)
	r.b = startServeWith(t, r.dirB, nil, r.env, r.args...)
	return r
}

// countTokenExchanges counts the codes the simulator exchanged for tokens.
func countTokenExchanges(sim *simCommand) int {
	return len(tokenIssued.FindAllString(sim.stderr.String(), -1))
}

var tokenIssued = regexp.MustCompile(`msg="token issued".* op=token\b`)

// TestTwoReplicasOnePostgres: two serve processes on one PostgreSQL database
// with one secret key act as one app. A click on one completes on the other,
// 20 concurrent callbacks for one state across both end in exactly one
// exchange, and after both restart nothing is lost.
func TestTwoReplicasOnePostgres(t *testing.T) {
	r := startReplicas(t)
	a, b, sim, dbURL, dirA, dirB, env, args := r.a, r.b, r.sim, r.dbURL, r.dirA, r.dirB, r.env, r.args
	br := newBrowser(t, nil)
	if strings.Contains(a.Logs.String(), "every server on this database needs the same key") {
		t.Fatal("warned about the key though BASKETLINK_SECRET_KEY is set")
	}

	c := createBasket(t, br, a.URL, liveBasket(t), "replicated")
	if status, _, body := br.get(onReplica(t, c.ReviewURL, b)); status != http.StatusOK || !strings.Contains(body, "replicated") {
		t.Fatalf("review on the other replica: %d", status)
	}

	// A click on A, the callback on B.
	oc, _ := click(t, br, onReplica(t, c.ShortURL, a))
	status, _, body := br.get(onReplica(t, approve(t, br, oc), b))
	if status != http.StatusOK || !strings.Contains(body, `data-kind="ok"`) {
		t.Fatalf("callback on the other replica: %d %s", status, body)
	}
	if n := countTokenExchanges(sim); n != 1 {
		t.Fatalf("%d exchanges after one callback, want 1:\n%s", n, sim.stderr)
	}

	// 20 concurrent callbacks for one state, half on each replica, each with
	// the state's cookie: one exchange, one success, 19 "already used".
	oc, st := click(t, br, onReplica(t, c.ShortURL, b))
	cb := approve(t, br, oc)
	cookie := br.cookie(a.URL+"/callback", state.CookieName(st))
	if cookie == nil {
		t.Fatal("no state cookie after the click")
	}
	noRedirects := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	statuses := make([]int, 20)
	bodies := make([]string, 20)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range statuses {
		target := onReplica(t, cb, []*testServer{a, b}[i%2])
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, target, nil)
			req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
			<-start
			resp, err := noRedirects.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			statuses[i], bodies[i] = resp.StatusCode, string(body)
		})
	}
	close(start)
	wg.Wait()
	ok, used := 0, 0
	for i, s := range statuses {
		switch {
		case s == http.StatusOK:
			ok++
		case s == http.StatusBadRequest && strings.Contains(bodies[i], "already used"):
			used++
		default:
			t.Errorf("callback %d: %d %s", i, s, bodies[i])
		}
	}
	if ok != 1 || used != 19 {
		t.Fatalf("%d successes and %d refusals of 20 concurrent callbacks, want 1 and 19", ok, used)
	}
	if n := countTokenExchanges(sim); n != 2 {
		t.Fatalf("%d exchanges after the concurrent callbacks, want 2 (one each)", n)
	}
	outcomes, err := openStoreAt(t, dirA, dbURL).Outcomes(context.Background(), c.ID)
	if err != nil || len(outcomes) != 2 {
		t.Fatalf("%d outcomes (%v), want 2", len(outcomes), err)
	}

	// A state issued before both restart still completes, on either.
	oc, _ = click(t, br, onReplica(t, c.ShortURL, a))
	for _, s := range []*testServer{a, b} {
		if code := s.Stop(); code != exitOK {
			t.Fatalf("serve exited %d", code)
		}
	}
	a2 := startServeWith(t, dirA, nil, env, args...)
	b2 := startServeWith(t, dirB, nil, env, args...)
	if status, _, _ := br.get(onReplica(t, c.ReviewURL, a2)); status != http.StatusOK {
		t.Fatalf("review after the restart: %d", status)
	}
	if status, _, body := br.get(onReplica(t, approve(t, br, oc), b2)); status != http.StatusOK {
		t.Fatalf("a state from before the restart: %d %s", status, body)
	}
	outcomes, err = openStoreAt(t, dirB, dbURL).Outcomes(context.Background(), c.ID)
	if err != nil || len(outcomes) != 3 || outcomes[0].Status != "ok" || outcomes[2].Status != "ok" {
		t.Fatalf("outcomes after the restart: %+v %v", outcomes, err)
	}
}

// openStoreAt opens the store a server with this data dir and database URL uses.
func openStoreAt(t *testing.T, dataDir, databaseURL string) store.Store {
	t.Helper()
	db, err := store.Open(context.Background(), dataDir, databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkTwoReplicaCallbacks: whole flows per second through two replicas:
// a click on A, the simulator's approval, the callback (claim, exchange,
// outcome) on B. Run: go test -run '^$' -bench TwoReplica -benchtime 10s ./cmd/basketlink
func BenchmarkTwoReplicaCallbacks(b *testing.B) {
	r := startReplicas(b)
	resp, err := http.Post(r.a.URL+"/api/v1/baskets", "application/json", strings.NewReader(`{"legs":`+liveBasket(b)+`}`))
	if err != nil {
		b.Fatal(err)
	}
	var c created
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || resp.StatusCode != http.StatusCreated {
		b.Fatalf("create: %d %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	client := &http.Client{
		Transport:     &http.Transport{MaxIdleConnsPerHost: 64},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	// Before the servers stop: a spare connection a client dialed and never
	// used would hold the simulator's graceful shutdown for 5 s.
	b.Cleanup(client.CloseIdleConnections)
	b.Cleanup(http.DefaultTransport.(*http.Transport).CloseIdleConnections) // the replicas' broker client
	hop := func(u string, cookies []*http.Cookie) (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		for _, ck := range cookies {
			req.AddCookie(ck)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp, nil
	}
	b.SetParallelism(4) // 4 flows per core at once
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			clicked, err := hop(r.a.URL+"/b/"+c.ID+"/go", nil)
			if err != nil || clicked.StatusCode != http.StatusFound {
				b.Errorf("click: %v", err)
				return
			}
			approved, err := hop(clicked.Header.Get("Location"), nil)
			if err != nil || approved.StatusCode != http.StatusFound {
				b.Errorf("approve: %v", err)
				return
			}
			done, err := hop(r.b.URL+strings.TrimPrefix(approved.Header.Get("Location"), replicaPublicURL), clicked.Cookies())
			if err != nil || done.StatusCode != http.StatusOK {
				b.Errorf("callback: %v %v", err, done)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "flows/s")
}
