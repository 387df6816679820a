package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"basketlink/share"
)

const goodAdminToken = "admin-token-0123456789-abcdefghijklmnop" // 39 characters

// serveOnce runs serve with args and env until it exits or serves; it returns
// the exit code (or -1 once it served and was stopped) and what it printed.
func serveOnce(t *testing.T, env map[string]string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut lockedBuffer
	e := &cmdEnv{ctx: ctx, stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		getenv: func(k string) string { return env[k] }, now: time.Now}
	done := make(chan int, 1)
	go func() { done <- runServe(e, append([]string{"--data-dir", t.TempDir()}, args...)) }()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case code := <-done:
			return code, errOut.String()
		case <-deadline:
			t.Fatalf("serve neither served nor exited:\n%s", errOut.String())
		case <-time.After(20 * time.Millisecond):
			if strings.Contains(out.String(), "serving on") {
				cancel()
				<-done
				return -1, errOut.String()
			}
		}
	}
}

// writeSecret writes a secret file readable only by this user.
func writeSecret(t *testing.T, value string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(value+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestServeStartRefusals: every setting that is unsafe on a public address
// stops serve with exit 2 and a first line that says why, and no secret is
// ever printed.
func TestServeStartRefusals(t *testing.T) {
	public := map[string]string{"BASKETLINK_ADMIN_TOKEN": goodAdminToken, "BASKETLINK_PUBLIC_URL": "https://links.example"}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"public address, no client id, no --broker", public, []string{"--addr", "0.0.0.0:0"}, "--broker sim"},
		{"public address, no client id, client secret", with(public, "TRADEJINI_CLIENT_SECRET", "s3cret-value"), []string{"--addr", "0.0.0.0:0"}, "TRADEJINI_CLIENT_ID is not"},
		{"client secret without client id on loopback", map[string]string{"TRADEJINI_CLIENT_SECRET": "s3cret-value"}, []string{"--addr", "127.0.0.1:0"}, "TRADEJINI_CLIENT_ID is not"},
		{"--broker tradejini without client id", nil, []string{"--addr", "127.0.0.1:0", "--broker", "tradejini"}, "needs TRADEJINI_CLIENT_ID"},
		{"unknown broker", map[string]string{"BASKETLINK_BROKER": "paper"}, []string{"--addr", "127.0.0.1:0"}, "tradejini or sim"},
		{"admin token as a flag", nil, []string{"--addr", "127.0.0.1:0", "--admin-token", "s3cret-value"}, "--admin-token-file"},
		{"client secret as a flag", nil, []string{"--addr", "127.0.0.1:0", "--client-secret=s3cret-value"}, "TRADEJINI_CLIENT_SECRET"},
		{"secret key as a flag", nil, []string{"--addr", "127.0.0.1:0", "-secret-key", "s3cret-value"}, "BASKETLINK_SECRET_KEY_FILE"},
		{"short admin token", map[string]string{"BASKETLINK_ADMIN_TOKEN": "s3cret-value"}, []string{"--addr", "127.0.0.1:0"}, "at least 32"},
		{"plain http broker", map[string]string{"TRADEJINI_CLIENT_ID": "K", "TRADEJINI_CLIENT_SECRET": "s3cret-value", "TRADEJINI_BASE_URL": "http://broker.example/v2"}, []string{"--addr", "127.0.0.1:0"}, "must be https"},
		{"a secret twice", map[string]string{"BASKETLINK_ADMIN_TOKEN": goodAdminToken, "BASKETLINK_ADMIN_TOKEN_FILE": "/nonexistent"}, []string{"--addr", "127.0.0.1:0"}, "keep one"},
		{"unreadable secret file", nil, []string{"--addr", "127.0.0.1:0", "--admin-token-file", "/nonexistent/token"}, "cannot read /nonexistent/token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stderr := serveOnce(t, tt.env, tt.args...)
			first, _, _ := strings.Cut(stderr, "\n")
			if code != exitUsage || !strings.Contains(first, tt.want) {
				t.Fatalf("exit %d, want 2 with %q first; stderr:\n%s", code, tt.want, stderr)
			}
			if strings.Contains(stderr, "s3cret-value") || strings.Contains(stderr, goodAdminToken) {
				t.Fatalf("a secret was printed:\n%s", stderr)
			}
		})
	}
}

// TestServeStartsWhenSafe: the same public address starts with --broker sim
// on purpose, secrets come from files, and http to a loopback broker is fine.
func TestServeStartsWhenSafe(t *testing.T) {
	tokenFile := writeSecret(t, goodAdminToken)
	if code, stderr := serveOnce(t, map[string]string{"BASKETLINK_PUBLIC_URL": "https://links.example"},
		"--addr", "0.0.0.0:0", "--broker", "sim", "--admin-token-file", tokenFile); code != -1 {
		t.Fatalf("--broker sim on a public address: exit %d\n%s", code, stderr)
	}
	env := map[string]string{
		"BASKETLINK_ADMIN_TOKEN_FILE":  tokenFile,
		"TRADEJINI_CLIENT_SECRET_FILE": writeSecret(t, "client-secret-from-file"),
		"BASKETLINK_SECRET_KEY_FILE":   writeSecret(t, "secret-key-from-file-0123456789abcdef"),
		"TRADEJINI_CLIENT_ID":          "K",
		"TRADEJINI_BASE_URL":           "http://127.0.0.1:9/v2",
	}
	if code, stderr := serveOnce(t, env, "--addr", "0.0.0.0:0"); code != -1 {
		t.Fatalf("a client from files on a public address: exit %d\n%s", code, stderr)
	}

	// The token read from the file guards the API.
	srv := startServeWith(t, t.TempDir(), nil, nil, "--admin-token-file", tokenFile)
	b := newBrowser(t, nil)
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/api/v1/validate", "application/json", documented, "Authorization", "Bearer "+goodAdminToken); status != http.StatusOK && status != http.StatusUnprocessableEntity {
		t.Fatalf("API with the token from the file: %d", status)
	}
}

// TestSimNotice: in sim mode every public page says so, and the result page
// claims no real placement; with a real client configured there is no notice.
func TestSimNotice(t *testing.T) {
	srv := startServe(t, nil, "--sim-auto", "approve")
	b := newBrowser(t, nil)
	c := createBasket(t, b, srv.URL, liveBasket(t), "notice")
	for _, u := range []string{c.ReviewURL, srv.URL + "/nope", srv.URL + "/"} {
		if _, _, body := b.get(u); !strings.Contains(body, `id="sim-notice"`) || !strings.Contains(body, "Simulated broker: no real orders") {
			t.Errorf("%s has no simulator notice", u)
		}
	}
	oc, _ := click(t, b, c.ShortURL)
	status, _, body := b.get(approve(t, b, oc))
	if status != http.StatusOK || !strings.Contains(body, `data-kind="ok"`) || !strings.Contains(body, "no real order was placed") || strings.Contains(body, "went through") {
		t.Fatalf("sim result page: %d %s", status, body)
	}

	real := startServe(t, map[string]string{"TRADEJINI_CLIENT_ID": "K", "TRADEJINI_CLIENT_SECRET": "s"})
	c = createBasket(t, b, real.URL, liveBasket(t), "real")
	if _, _, body := b.get(c.ReviewURL); strings.Contains(body, "sim-notice") {
		t.Error("a server with a real client shows the simulator notice")
	}
}

// TestLoginBodyBound: /login reads at most 8 KiB and no multipart; a flood of
// large bodies leaves the server's memory where it was.
func TestLoginBodyBound(t *testing.T) {
	srv := startServeWith(t, t.TempDir(), nil, map[string]string{"BASKETLINK_ADMIN_TOKEN": goodAdminToken})
	b := newBrowser(t, nil)
	big := "token=" + strings.Repeat("a", 9<<10)
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/login", "application/x-www-form-urlencoded", big); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("9 KiB login: %d, want 413", status)
	}
	multipart := "--X\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n" + goodAdminToken + "\r\n--X--\r\n"
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/login", "multipart/form-data; boundary=X", multipart); status != http.StatusUnsupportedMediaType {
		t.Fatalf("multipart login: %d, want 415", status)
	}
	// A body without a length (chunked) is cut at the limit too.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/login", io.MultiReader(strings.NewReader("token="), &zeros{n: 1 << 20}))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("chunked 1 MiB login: %d, want 413", res.StatusCode)
		}
	}

	// The flood: 32 concurrent chunked posts of 4 MiB each (128 MiB in all).
	// Read in full they would allocate at least that much in this process;
	// bounded, the server allocates a small fraction of it.
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/login", io.MultiReader(strings.NewReader("token="), &zeros{n: 4 << 20}))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if res, err := http.DefaultClient.Do(req); err == nil {
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		}()
	}
	wg.Wait()
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("32 posts of 4 MiB to /login: %.1f MiB allocated in the test process (client and server)", float64(allocated)/(1<<20))
	if allocated > 32<<20 {
		t.Fatalf("the /login flood allocated %d MiB: bodies are not bounded", allocated>>20)
	}
}

// zeros is a reader of n 'a' bytes that allocates nothing per read.
type zeros struct{ n int }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	n := min(len(p), z.n)
	for i := range p[:n] {
		p[i] = 'a'
	}
	z.n -= n
	return n, nil
}

// TestFailedAuthLimit: after 5 wrong admin tokens from one address within a
// minute, every attempt (the right token too, at the form or the API) gets
// 429 with Retry-After until the window passes; the lockout is logged once.
func TestFailedAuthLimit(t *testing.T) {
	clock := &testClock{t: time.Now()}
	srv := startServeWith(t, t.TempDir(), clock.Now, map[string]string{"BASKETLINK_ADMIN_TOKEN": goodAdminToken})
	b := newBrowser(t, nil)
	form := "application/x-www-form-urlencoded"
	for i := range 5 {
		if status, _, _ := b.do(http.MethodPost, srv.URL+"/login", form, "token=wrong"+strconv.Itoa(i)); status != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: %d, want 401", i+1, status)
		}
	}
	for _, try := range []struct {
		name, contentType, body string
		header                  []string
	}{
		{"right token at the form", form, "token=" + goodAdminToken, nil},
		{"wrong token at the form", form, "token=wrong", nil},
		{"right token at the API", "application/json", documented, []string{"Authorization", "Bearer " + goodAdminToken}},
	} {
		u := srv.URL + "/login"
		if try.header != nil {
			u = srv.URL + "/api/v1/validate"
		}
		req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(try.body))
		req.Header.Set("Content-Type", try.contentType)
		if try.header != nil {
			req.Header.Set(try.header[0], try.header[1])
		}
		res, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		secs, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		if res.StatusCode != http.StatusTooManyRequests || secs < 1 || secs > 60 {
			t.Fatalf("%s while locked out: %d Retry-After %q, want 429 and 1-60", try.name, res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
	if n := strings.Count(srv.Logs.String(), "locked out"); n != 1 {
		t.Fatalf("the lockout was logged %d times, want once:\n%s", n, srv.Logs)
	}
	clock.Advance(61 * time.Second)
	if status, loc, _ := b.do(http.MethodPost, srv.URL+"/login", form, "token="+goodAdminToken); status != http.StatusSeeOther || loc != "/" {
		t.Fatalf("right token after the window: %d %q", status, loc)
	}

	// The API alone locks out the same way.
	api := startServeWith(t, t.TempDir(), nil, map[string]string{"BASKETLINK_ADMIN_TOKEN": goodAdminToken})
	want := []int{401, 401, 401, 401, 401, 429}
	for i, w := range want {
		if status, _, _ := b.do(http.MethodPost, api.URL+"/api/v1/validate", "application/json", documented, "Authorization", "Bearer wrong"); status != w {
			t.Fatalf("wrong Bearer %d: %d, want %d", i+1, status, w)
		}
	}
	if strings.Contains(srv.Logs.String()+api.Logs.String(), goodAdminToken) {
		t.Fatal("the admin token is in the logs")
	}
}

// TestLogoutRevokesSession: a copied session cookie stops working once its
// session logs out, and every session stops when the admin token changes.
func TestLogoutRevokesSession(t *testing.T) {
	dataDir := t.TempDir()
	env := map[string]string{"BASKETLINK_ADMIN_TOKEN": goodAdminToken}
	srv := startServeWith(t, dataDir, nil, env)
	signIn := func(base string) (*browser, *http.Cookie) {
		b := newBrowser(t, nil)
		if status, _, _ := b.do(http.MethodPost, base+"/login", "application/x-www-form-urlencoded", "token="+goodAdminToken); status != http.StatusSeeOther {
			t.Fatalf("login: %d", status)
		}
		ck := b.cookie(base+"/", "bl_session")
		if ck == nil {
			t.Fatal("no session cookie")
		}
		return b, ck
	}
	withCookie := func(base string, ck *http.Cookie) int {
		thief := newBrowser(t, nil)
		status, _, _ := thief.do(http.MethodGet, base+"/inspect", "", "", "Cookie", ck.Name+"="+ck.Value)
		return status
	}
	b, stolen := signIn(srv.URL)
	if status := withCookie(srv.URL, stolen); status != http.StatusOK {
		t.Fatalf("copied cookie before logout: %d, want 200", status)
	}
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/logout", "application/x-www-form-urlencoded", ""); status != http.StatusSeeOther {
		t.Fatalf("logout: %d", status)
	}
	if status := withCookie(srv.URL, stolen); status != http.StatusSeeOther {
		t.Fatalf("copied cookie after logout: %d, want 303 to the login page", status)
	}

	_, kept := signIn(srv.URL)
	if code := srv.Stop(); code != exitOK {
		t.Fatalf("stop: %d", code)
	}
	env["BASKETLINK_ADMIN_TOKEN"] = goodAdminToken + "-rotated"
	again := startServeWith(t, dataDir, nil, env)
	if status := withCookie(again.URL, kept); status != http.StatusSeeOther {
		t.Fatalf("session of the old admin token: %d, want 303", status)
	}
}

// TestHeadersEveryPage: the security headers on every page, no-store on the
// creator and callback pages, and with an https public URL HSTS and prefixed,
// Secure cookies.
func TestHeadersEveryPage(t *testing.T) {
	cspRe := regexp.MustCompile(`^default-src 'self'; script-src 'self';`)
	for _, https := range []bool{false, true} {
		t.Run(fmt.Sprintf("https=%v", https), func(t *testing.T) {
			env := map[string]string{"BASKETLINK_ADMIN_TOKEN": goodAdminToken}
			if https {
				env["BASKETLINK_PUBLIC_URL"] = "https://127.0.0.1:1"
			}
			srv := startServeWith(t, t.TempDir(), nil, env, "--sim-auto", "approve")
			b := newBrowser(t, nil)
			c := createBasket(t, b, srv.URL, liveBasket(t), "headers", "Authorization", "Bearer "+goodAdminToken)
			get := func(u string, header ...string) *http.Response {
				req, _ := http.NewRequest(http.MethodGet, u, nil)
				for i := 0; i+1 < len(header); i += 2 {
					req.Header.Set(header[i], header[i+1])
				}
				res, err := b.client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res
			}
			goRes := get(srv.URL + "/b/" + c.ID + "/go")
			stateCookie := goRes.Header.Get("Set-Cookie")
			wantState := "bl_state_"
			if https {
				wantState = "__Secure-bl_state_"
			}
			if !strings.HasPrefix(stateCookie, wantState) || https != strings.Contains(stateCookie, "; Secure") {
				t.Errorf("state cookie %q", stateCookie)
			}
			res, err := b.client.Post(srv.URL+"/login", "application/x-www-form-urlencoded", strings.NewReader("token="+goodAdminToken))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			session := res.Header.Get("Set-Cookie")
			if https && (!strings.HasPrefix(session, "__Host-bl_session=") || !strings.Contains(session, "; Path=/;") || !strings.Contains(session, "; Secure") || strings.Contains(session, "Domain=")) {
				t.Errorf("session cookie with an https public URL: %q", session)
			}
			if !https && (!strings.HasPrefix(session, "bl_session=") || strings.Contains(session, "Secure")) {
				t.Errorf("session cookie on http: %q", session)
			}
			sessionHeader := []string{"Cookie", strings.SplitN(session, ";", 2)[0]}
			pages := []struct {
				path    string
				noStore bool
			}{
				{"/login", true}, {"/b/" + c.ID, false}, {"/nope", false}, {"/callback?state=x", true},
				{"/", true}, {"/inspect", true}, {"/links", true}, {"/webhooks", true},
			}
			for _, p := range pages {
				res := get(srv.URL+p.path, sessionHeader...)
				h := res.Header
				if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
					t.Errorf("%s: %d %s", p.path, res.StatusCode, h.Get("Content-Type"))
				}
				csp := h.Get("Content-Security-Policy")
				if !cspRe.MatchString(csp) || !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "base-uri 'none'") || strings.Contains(csp, "unsafe") {
					t.Errorf("%s: CSP %q", p.path, csp)
				}
				if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
					t.Errorf("%s: nosniff %q referrer %q", p.path, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
				}
				if got := h.Get("Strict-Transport-Security"); https != (got == "max-age=63072000; includeSubDomains") {
					t.Errorf("%s: HSTS %q with https=%v", p.path, got, https)
				}
				if p.noStore && h.Get("Cache-Control") != "no-store" {
					t.Errorf("%s: Cache-Control %q, want no-store", p.path, h.Get("Cache-Control"))
				}
			}
		})
	}
}

// TestCallbackSurvivesDisconnect: a browser that goes away mid-exchange does
// not cancel it: the outcome is still recorded.
func TestCallbackSurvivesDisconnect(t *testing.T) {
	dataDir := t.TempDir()
	srv := startServeAt(t, dataDir, nil, "--sim-auto", "approve", "--sim-latency", "1500ms")
	b := newBrowser(t, nil)
	c := createBasket(t, b, srv.URL, liveBasket(t), "closed tab")
	oc, _ := click(t, b, c.ShortURL)
	cb := approve(t, b, oc)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, cb, nil)
	if res, err := b.client.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("the callback answered %d before the simulator's latency", res.StatusCode)
	}
	db := openStore(t, dataDir)
	deadline := time.Now().Add(15 * time.Second)
	for {
		outcomes, err := db.Outcomes(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(outcomes) == 1 {
			if outcomes[0].Status != "ok" {
				t.Fatalf("outcome %+v, want ok", outcomes[0])
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no outcome recorded after the browser left: %+v\n%s", outcomes, srv.Logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestCallbackFinishesOnShutdown: SIGTERM (the run context ends) during an
// exchange longer than the old fixed 10 s grace still lets it finish: the
// waiting browser gets its page and serve exits 0.
func TestCallbackFinishesOnShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 11 s for a slow simulated exchange")
	}
	srv := startServeAt(t, t.TempDir(), nil, "--sim-auto", "approve", "--sim-latency", "11s", "--broker-timeout", "15s")
	b := newBrowser(t, nil)
	c := createBasket(t, b, srv.URL, liveBasket(t), "shutdown")
	oc, _ := click(t, b, c.ShortURL)
	cb := approve(t, b, oc)
	type answer struct {
		status int
		body   string
	}
	got := make(chan answer, 1)
	go func() {
		res, err := b.client.Get(cb)
		if err != nil {
			got <- answer{0, err.Error()}
			return
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		got <- answer{res.StatusCode, string(body)}
	}()
	time.Sleep(500 * time.Millisecond) // the exchange is under way
	if code := srv.Stop(); code != exitOK {
		t.Fatalf("serve exited %d while an exchange ran:\n%s", code, srv.Logs)
	}
	a := <-got
	if a.status != http.StatusOK || !strings.Contains(a.body, `data-kind="ok"`) {
		t.Fatalf("callback during shutdown: %d %.300s", a.status, a.body)
	}
}

func TestShutdownGraceOutlastsBrokerTimeout(t *testing.T) {
	for _, d := range []time.Duration{time.Second, 10 * time.Second, maxBrokerTimeout} {
		if g := shutdownGrace(d); g <= d+share.RecordGrace {
			t.Errorf("shutdown grace %s for broker timeout %s", g, d)
		}
	}
}

// TestCreatorPagesNoStoreWithoutToken: on a laptop (loopback, no admin token)
// the creator pages are still never cached.
func TestCreatorPagesNoStoreWithoutToken(t *testing.T) {
	srv := startServeWith(t, t.TempDir(), nil, nil)
	for _, path := range []string{"/", "/inspect", "/links", "/webhooks"} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d, Cache-Control %q, want 200 and no-store", path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
}
