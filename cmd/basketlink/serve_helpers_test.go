package main

import (
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"basketlink/internal/pgtest"
)

// testClock is a clock a test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testServer is a real `basketlink serve`, in-process, on a real port.
type testServer struct {
	URL     string
	DataDir string
	Out     *lockedBuffer // what the server wrote to stdout
	Logs    *lockedBuffer // what the server wrote to stderr
	stop    func() int
}

var servingLine = regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)`)

// startServe runs serve with the environment env and args on 127.0.0.1:0 and a
// fresh data dir, until the test ends.
func startServe(t *testing.T, env map[string]string, args ...string) *testServer {
	t.Helper()
	return startServeWith(t, t.TempDir(), nil, env, args...)
}

// startServeAt runs serve with args on 127.0.0.1:0 and the data dir, with the
// clock now (nil: time.Now), until the test ends or Stop is called.
func startServeAt(t *testing.T, dataDir string, now func() time.Time, args ...string) *testServer {
	t.Helper()
	return startServeWith(t, dataDir, now, nil, args...)
}

// databaseURLs maps the data dirs that eachDB made for PostgreSQL to their databases.
var databaseURLs sync.Map

// eachDB runs test once on SQLite and once on PostgreSQL (skipped when no
// server is configured; see internal/pgtest). newDataDir makes a fresh data
// dir; on PostgreSQL it comes with a fresh database, which every server
// started on that dir (startServeAt) and openStore use.
func eachDB(t *testing.T, test func(t *testing.T, newDataDir func() string)) {
	t.Run("sqlite", func(t *testing.T) { test(t, t.TempDir) })
	t.Run("postgres", func(t *testing.T) {
		pgtest.Require(t)
		test(t, func() string {
			dir := t.TempDir()
			databaseURLs.Store(dir, pgtest.URL(t))
			return dir
		})
	})
}

// databaseURL is the database of a data dir made by eachDB, "" for SQLite.
func databaseURL(dataDir string) string {
	u, _ := databaseURLs.Load(dataDir)
	s, _ := u.(string)
	return s
}

func startServeWith(t testing.TB, dataDir string, now func() time.Time, envVars map[string]string, args ...string) *testServer {
	t.Helper()
	if now == nil {
		now = time.Now
	}
	if u := databaseURL(dataDir); u != "" && envVars["BASKETLINK_DATABASE_URL"] == "" {
		envVars = maps.Clone(envVars)
		if envVars == nil {
			envVars = map[string]string{}
		}
		envVars["BASKETLINK_DATABASE_URL"] = u
	}
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	env := &cmdEnv{ctx: ctx, stdin: strings.NewReader(""), stdout: stdout, stderr: stderr,
		getenv: func(k string) string { return envVars[k] }, now: now}
	done := make(chan int, 1)
	go func() {
		done <- runServe(env, append([]string{"--addr", "127.0.0.1:0", "--data-dir", dataDir}, args...))
	}()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if m := servingLine.FindStringSubmatch(stdout.String()); m != nil {
			s := &testServer{URL: m[1], DataDir: dataDir, Out: stdout, Logs: stderr}
			var once sync.Once
			code := 0
			s.stop = func() int {
				once.Do(func() { cancel(); code = <-done })
				return code
			}
			t.Cleanup(func() {
				if code := s.stop(); code != exitOK {
					t.Errorf("serve exited %d after shutdown; stderr:\n%s", code, stderr)
				}
			})
			return s
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited %d before serving:\n%s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start in time:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop shuts the server down gracefully and returns serve's exit code.
func (s *testServer) Stop() int { return s.stop() }

// browser is an HTTP client with its own cookies that does not follow redirects,
// so a test sees every hop of the flow.
type browser struct {
	t      *testing.T
	client *http.Client
	pages  *[]string // every body seen, for the secret scan
}

func newBrowser(t *testing.T, pages *[]string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, pages: pages, client: &http.Client{
		Jar:           jar,
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends a request and returns the status, the Location header and the body.
func (b *browser) do(method, u, contentType, body string, header ...string) (int, string, string) {
	b.t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1] // net/http sends req.Host, not a Host header
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if b.pages != nil {
		*b.pages = append(*b.pages, string(data)) // bodies: a redirect's Location carries the code by design
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(data)
}

func (b *browser) get(u string) (int, string, string) { return b.do(http.MethodGet, u, "", "") }

// cookies returns the names of the cookies the browser holds for u.
func (b *browser) cookies(u string) []string {
	pu, _ := url.Parse(u)
	var names []string
	for _, c := range b.client.Jar.Cookies(pu) {
		names = append(names, c.Name)
	}
	return names
}

// liveBasket is the documented three legs with an expiry that is live for a week and more.
func liveBasket(t testing.TB) string {
	t.Helper()
	d := time.Now().AddDate(0, 0, 8)
	for d.Weekday() != time.Thursday {
		d = d.AddDate(0, 0, 1)
	}
	return strings.ReplaceAll(documented, "2022-11-24", d.Format(time.DateOnly))
}

// cookie returns the browser's cookie named name for u, or nil.
func (b *browser) cookie(u, name string) *http.Cookie {
	pu, _ := url.Parse(u)
	for _, c := range b.client.Jar.Cookies(pu) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// setCookie gives the browser a cookie for u (takes it away with a negative MaxAge).
func (b *browser) setCookie(u string, c *http.Cookie) {
	pu, _ := url.Parse(u)
	b.client.Jar.SetCookies(pu, []*http.Cookie{{Name: c.Name, Value: c.Value, Path: "/callback", MaxAge: c.MaxAge}}) // MaxAge < 0 deletes it
}
