package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"basketlink/secret"
	"basketlink/state"
	"basketlink/store"
)

// created is the 201 answer of POST /api/v1/baskets.
type created struct {
	ID              string `json:"id"`
	ShortURL        string `json:"short_url"`
	ReviewURL       string `json:"review_url"`
	OrderConnectURL string `json:"order_connect_url"`
}

func createBasket(t *testing.T, b *browser, base, legs, label string, header ...string) created {
	t.Helper()
	body := `{"legs":` + legs + `,"label":` + strconvQuote(label) + `}`
	status, _, out := b.do(http.MethodPost, base+"/api/v1/baskets", "application/json", body, header...)
	if status != http.StatusCreated {
		t.Fatalf("create basket: %d %s", status, out)
	}
	var c created
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// click opens the short link and returns the order-connect URL it redirects to and its state.
func click(t *testing.T, b *browser, shortURL string) (string, string) {
	t.Helper()
	status, loc, body := b.get(shortURL)
	if status != http.StatusFound || loc == "" {
		t.Fatalf("short link: %d %q %s", status, loc, body)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return loc, u.Query().Get("state")
}

// approve walks the order-connect URL through the simulator (in approve mode)
// and returns the callback URL it sends the browser to.
func approve(t *testing.T, b *browser, orderConnect string) string {
	t.Helper()
	status, loc, body := b.get(orderConnect)
	if status != http.StatusFound || !strings.Contains(loc, "/callback?") {
		t.Fatalf("simulator: %d %q %s", status, loc, body)
	}
	return loc
}

// openStore opens the database of dataDir: SQLite in it, or the PostgreSQL
// database eachDB gave it.
func openStore(t *testing.T, dataDir string) store.Store {
	t.Helper()
	db, err := store.Open(context.Background(), dataDir, databaseURL(dataDir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestShareLinksEndToEnd(t *testing.T) { eachDB(t, testShareLinksEndToEnd) }

func testShareLinksEndToEnd(t *testing.T, newDataDir func() string) {
	dataDir := newDataDir()
	clock := &testClock{t: time.Now()}
	srv := startServeAt(t, dataDir, clock.Now, "--sim-auto", "approve")
	var pages []string
	b := newBrowser(t, &pages)

	c := createBasket(t, b, srv.URL, liveBasket(t), "Nifty hedge")
	if strings.Contains(pages[len(pages)-1], `\u0026`) {
		t.Error("the order-connect URL's & is escaped in the JSON")
	}
	if c.ShortURL != srv.URL+"/b/"+c.ID+"/go" || c.ReviewURL != srv.URL+"/b/"+c.ID || len(c.ID) < 11 {
		t.Fatalf("created %+v", c)
	}
	status, _, body := b.get(srv.URL + "/api/v1/baskets/" + c.ID)
	var got struct {
		ID, Label string
		Legs      json.RawMessage
		CreatedAt time.Time `json:"created_at"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || status != 200 || got.Label != "Nifty hedge" || string(got.Legs) != liveBasket(t) || got.CreatedAt.IsZero() {
		t.Fatalf("get basket: %d %s", status, body)
	}
	longLabel := `{"legs":` + liveBasket(t) + `,"label":"` + strings.Repeat("x", 201) + `"}`
	if status, _, body := b.do(http.MethodPost, srv.URL+"/api/v1/baskets", "application/json", longLabel); status != http.StatusUnprocessableEntity || !strings.Contains(body, `"message":"label`) {
		t.Fatalf("a 201-character label: %d %s", status, body)
	}
	if status, _, _ := b.get(srv.URL + "/api/v1/baskets/AAAAAAAAAAAAAAAA"); status != http.StatusNotFound {
		t.Fatalf("unknown basket: %d", status)
	}

	// The review page is public and shows the legs.
	status, _, body = b.get(c.ReviewURL)
	if status != 200 || !strings.Contains(body, "BANKNIFTY") || !strings.Contains(body, "/b/"+c.ID+"/go") {
		t.Fatalf("review page: %d", status)
	}

	// Two clicks: two states, two cookies, nothing written.
	oc1, st1 := click(t, b, c.ShortURL)
	oc2, st2 := click(t, b, c.ShortURL)
	if st1 == "" || st1 == st2 {
		t.Fatalf("states %q and %q", st1, st2)
	}
	if n := len(b.cookies(srv.URL + "/callback")); n != 2 {
		t.Fatalf("%d state cookies for /callback, want 2", n)
	}
	if q, _ := url.Parse(oc1); q.Query().Get("params") != liveBasket(t) || q.Query().Get("client_id") != "SIMKEY" || q.Query().Get("redirect_uri") != srv.URL+"/callback" {
		t.Fatalf("order-connect URL %s", oc1)
	}

	// The first completes: 200, outcome recorded.
	cb1 := approve(t, b, oc1)
	cookie1 := b.cookie(srv.URL+"/callback", state.CookieName(st1))
	if cookie1 == nil {
		t.Fatal("no state cookie for the first click")
	}
	status, _, body = b.get(cb1)
	if status != http.StatusOK || !strings.Contains(body, `data-kind="ok"`) || !strings.Contains(body, "Nifty hedge") {
		t.Fatalf("callback: %d %s", status, body)
	}
	db := openStore(t, dataDir)
	outcomes, err := db.Outcomes(context.Background(), c.ID)
	// Token pickup is off by default: the outcome keeps its status, never a token.
	if err != nil || len(outcomes) != 1 || outcomes[0].Status != "ok" || outcomes[0].TokenTail != "" || outcomes[0].SealedToken != nil {
		t.Fatalf("outcomes %+v %v", outcomes, err)
	}
	if strings.Contains(strings.ToLower(body), "token") {
		t.Fatal("the success page mentions the token: no part of it may show")
	}

	// A reload in the same browser shows the same result, not an error; the
	// state's cookie is gone, and a cookie remembers the result instead.
	if status, _, reload := b.get(cb1); status != http.StatusOK || !strings.Contains(reload, `data-kind="ok"`) || !strings.Contains(reload, "Nifty hedge") {
		t.Fatalf("reload of the result: %d %s", status, reload)
	}
	if b.cookie(srv.URL+"/callback", state.CookieName(st1)) != nil {
		t.Fatal("the used state's cookie is still there")
	}
	if n := len(b.cookies(srv.URL + "/callback")); n != 2 {
		t.Fatalf("%d cookies for /callback after the callback, want 2 (the second click's state, the first's result)", n)
	}
	if outcomes, _ = db.Outcomes(context.Background(), c.ID); len(outcomes) != 1 {
		t.Fatalf("%d outcomes after the reload, want 1: a reload exchanges nothing", len(outcomes))
	}
	// Someone who kept both the URL and the state cookie is refused: the state is used up.
	thief := newBrowser(t, &pages)
	thief.setCookie(srv.URL+"/callback", cookie1)
	if status, _, body = thief.get(cb1); status != http.StatusBadRequest || !strings.Contains(body, "already used") {
		t.Fatalf("replay with the cookie: %d %s", status, body)
	}

	// A forged state is refused.
	cb2 := approve(t, b, oc2)
	forged := strings.Replace(cb2, "state="+url.QueryEscape(st2), "state="+url.QueryEscape(flipLast(st2)), 1)
	if forged == cb2 {
		t.Fatal("could not forge the state")
	}
	if status, _, body = b.get(forged); status != http.StatusBadRequest || strings.Contains(body, `id="try-again"`) {
		t.Fatalf("forged state: %d, or a way back to a basket it does not name: %s", status, body)
	}

	// Without its cookie the callback refuses, and the state is not used up.
	stranger := newBrowser(t, &pages)
	// The page offers the basket again, to start over in this browser.
	tryAgain := `id="try-again" href="/b/` + c.ID + `"`
	if status, _, body = stranger.get(cb2); status != http.StatusBadRequest || !strings.Contains(body, "another browser") || !strings.Contains(body, tryAgain) {
		t.Fatalf("missing cookie: %d, want the way back %s: %s", status, tryAgain, body)
	}
	if status, _, _ = b.get(cb2); status != http.StatusOK {
		t.Fatalf("the state after a cookieless try: %d", status)
	}

	// An expired state: 400, and nothing exchanged.
	oc3, _ := click(t, b, c.ShortURL)
	cb3 := approve(t, b, oc3)
	clock.Advance(16 * time.Minute)
	if status, _, body = b.get(cb3); status != http.StatusBadRequest || !strings.Contains(body, "expired") || !strings.Contains(body, tryAgain) {
		t.Fatalf("expired state: %d, want the way back %s: %s", status, tryAgain, body)
	}
	if outcomes, _ = db.Outcomes(context.Background(), c.ID); len(outcomes) != 2 {
		t.Fatalf("%d outcomes after the expired try, want 2", len(outcomes))
	}

	// A user who cancels at the broker gets a page that says so, and the link again.
	cancelSrv := startServeAt(t, newDataDir(), nil, "--sim-auto", "cancel")
	cc := createBasket(t, b, cancelSrv.URL, liveBasket(t), "")
	oc, _ := click(t, b, cc.ShortURL)
	status, _, body = b.get(approve(t, b, oc))
	if status != http.StatusOK || !strings.Contains(body, `data-kind="cancelled"`) || !strings.Contains(body, "/b/"+cc.ID) {
		t.Fatalf("cancelled: %d %s", status, body)
	}

	// Restart on the same data dir: baskets, outcomes and the key survive, and
	// a state issued before the restart still works.
	clock.Advance(-16 * time.Minute)
	oc4, _ := click(t, b, c.ShortURL)
	if code := srv.Stop(); code != 0 {
		t.Fatalf("serve exited %d", code)
	}
	db.Close()
	srv2 := startServeAt(t, dataDir, clock.Now, "--sim-auto", "approve", "--addr", strings.TrimPrefix(srv.URL, "http://"))
	if status, _, _ = b.get(c.ReviewURL); status != 200 {
		t.Fatalf("review after restart: %d", status)
	}
	if status, _, body = b.get(approve(t, b, oc4)); status != http.StatusOK {
		t.Fatalf("a state from before the restart: %d %s", status, body)
	}
	db = openStore(t, dataDir)
	if outcomes, _ = db.Outcomes(context.Background(), c.ID); len(outcomes) != 3 {
		t.Fatalf("%d outcomes after the restart, want 3", len(outcomes))
	}

	// No secret in any page or log line: the client secret, the key, the
	// access tokens (read back from the store), the codes.
	secrets := []string{"SIMSECRET"}
	keyFile, err := os.ReadFile(filepath.Join(dataDir, secret.FileName))
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, strings.TrimSpace(string(keyFile)))
	key, err := secret.Load(dataDir, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outcomes {
		if o.SealedToken == nil {
			continue
		}
		tok, err := key.Open(o.SealedToken)
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, string(tok))
	}
	for _, cb := range []string{cb1, cb2} {
		u, _ := url.Parse(cb)
		secrets = append(secrets, u.Query().Get("code"))
	}
	logs := srv.Logs.String() + srv2.Logs.String() + cancelSrv.Logs.String()
	for _, s := range secrets {
		if len(s) < 8 {
			t.Fatalf("secret %q too short to scan for", s)
		}
		if strings.Contains(logs, s) {
			t.Errorf("a secret (%d chars, starts %q) is in the logs", len(s), s[:3])
		}
		for _, p := range pages {
			if strings.Contains(p, s) {
				t.Errorf("a secret (%d chars, starts %q) is in a page", len(s), s[:3])
				break
			}
		}
	}
	if !strings.Contains(logs, "outcome=ok") {
		t.Fatal("the logs were not captured")
	}
	if databaseURL(dataDir) == "" && !strings.Contains(srv.Logs.String(), "database=sqlite") {
		t.Fatal("the server did not say it runs on SQLite")
	}
	if databaseURL(dataDir) != "" && (!strings.Contains(srv.Logs.String(), "database=postgres") || !strings.Contains(srv.Logs.String(), "needs the same key")) {
		t.Fatal("the server did not say it runs on PostgreSQL, or did not warn that its key is its own")
	}
}

// flipLast changes the last character of a state, keeping it URL-safe.
func flipLast(s string) string {
	if s == "" {
		return s
	}
	last := s[len(s)-1]
	repl := byte('A')
	if last == 'A' {
		repl = 'B'
	}
	return s[:len(s)-1] + string(repl)
}

func TestCallbackFaults(t *testing.T) { eachDB(t, testCallbackFaults) }

func testCallbackFaults(t *testing.T, newDataDir func() string) {
	tests := []struct {
		name   string
		args   []string
		status int
		kind   string
		says   string
	}{
		{"broker error", []string{"--sim-fail-status", "500"}, http.StatusBadGateway, "refused", "refused"},
		{"rate limited", []string{"--sim-fail-status", "429"}, http.StatusBadGateway, "refused", "refused"},
		{"too slow", []string{"--sim-latency", "3s", "--broker-timeout", "300ms"}, http.StatusGatewayTimeout, "timeout", "did not answer in time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dataDir := newDataDir()
			srv := startServeAt(t, dataDir, nil, append([]string{"--sim-auto", "approve"}, tt.args...)...)
			b := newBrowser(t, nil)
			c := createBasket(t, b, srv.URL, liveBasket(t), "faulty")
			oc, _ := click(t, b, c.ShortURL)
			status, _, body := b.get(approve(t, b, oc))
			if status != tt.status || !strings.Contains(body, `data-kind="`+tt.kind+`"`) || !strings.Contains(body, tt.says) {
				t.Fatalf("callback: %d, want %d; %s", status, tt.status, body)
			}
			outcomes, err := openStore(t, dataDir).Outcomes(context.Background(), c.ID)
			if err != nil || len(outcomes) != 1 || outcomes[0].Status != tt.kind || outcomes[0].Message == "" || outcomes[0].SealedToken != nil {
				t.Fatalf("outcomes %+v %v", outcomes, err)
			}
		})
	}
}

func TestCreatorAccess(t *testing.T) {
	srv := startServeWith(t, t.TempDir(), nil, map[string]string{"BASKETLINK_ADMIN_TOKEN": "letmein-0123456789-abcdefghijklmnop"})
	b := newBrowser(t, nil)
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/api/v1/validate", "application/json", documented); status != http.StatusUnauthorized {
		t.Fatalf("API without the token: %d", status)
	}
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/api/v1/validate", "application/json", documented, "Authorization", "Bearer wrong"); status != http.StatusUnauthorized {
		t.Fatalf("API with a wrong token: %d", status)
	}
	c := createBasket(t, b, srv.URL, liveBasket(t), "guarded", "Authorization", "Bearer letmein-0123456789-abcdefghijklmnop")

	// Pages send a stranger to the login page; the public pages stay public.
	if status, loc, _ := b.get(srv.URL + "/inspect"); status != http.StatusSeeOther || loc != "/login?next=%2Finspect" {
		t.Fatalf("builder without a session: %d %q", status, loc)
	}
	if status, _, _ := b.get(c.ReviewURL); status != http.StatusOK {
		t.Fatalf("review page: %d", status)
	}
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/login", "application/x-www-form-urlencoded", "token=nope&next=%2Finspect"); status != http.StatusUnauthorized {
		t.Fatalf("wrong login: %d", status)
	}
	status, loc, _ := b.do(http.MethodPost, srv.URL+"/login", "application/x-www-form-urlencoded", "token=letmein-0123456789-abcdefghijklmnop&next=%2Finspect")
	if status != http.StatusSeeOther || loc != "/inspect" {
		t.Fatalf("login: %d %q", status, loc)
	}
	if status, _, _ := b.get(srv.URL + "/inspect"); status != http.StatusOK {
		t.Fatalf("inspector with a session: %d", status)
	}
	if status, loc, _ := b.do(http.MethodPost, srv.URL+"/login", "application/x-www-form-urlencoded", "token=letmein-0123456789-abcdefghijklmnop&next=https%3A%2F%2Fevil.example%2F"); status != http.StatusSeeOther || loc != "/" {
		t.Fatalf("login with a foreign next: %d %q", status, loc)
	}
	if status, loc, _ := b.do(http.MethodPost, srv.URL+"/login", "application/x-www-form-urlencoded", "token=letmein-0123456789-abcdefghijklmnop&next=%2F%09%2Fevil.example"); status != http.StatusSeeOther || loc != "/" {
		t.Fatalf("login with a tab-smuggled next: %d %q", status, loc)
	}
	// A form sent by a browser from another site is refused, even with a session.
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/save", "application/x-www-form-urlencoded", "legs.0.inst=EQT", "Sec-Fetch-Site", "cross-site"); status != http.StatusForbidden {
		t.Fatalf("cross-site save: %d", status)
	}
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/logout", "application/x-www-form-urlencoded", "", "Origin", "http://evil.example"); status != http.StatusForbidden {
		t.Fatalf("cross-origin logout: %d", status)
	}
	if strings.Contains(srv.Logs.String(), "letmein-0123456789-abcdefghijklmnop") {
		t.Fatal("the admin token is in the logs")
	}
}

// TestOpenServerAnswersOnlyItsOwnHost: with no admin token (loopback only), a
// request for another host name (DNS rebinding) or from another site is refused.
func TestOpenServerAnswersOnlyItsOwnHost(t *testing.T) {
	srv := startServeAt(t, t.TempDir(), nil)
	b := newBrowser(t, nil)
	if status, _, _ := b.do(http.MethodGet, srv.URL+"/", "", "", "Host", "rebound.evil.example"); status != http.StatusMisdirectedRequest {
		t.Fatalf("foreign Host: %d", status)
	}
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	if status, _, _ := b.do(http.MethodGet, srv.URL+"/", "", "", "Host", "localhost"+port); status != http.StatusOK {
		t.Fatalf("localhost: %d", status)
	}
	body := `{"legs":` + liveBasket(t) + `}`
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/api/v1/baskets", "text/plain", body, "Sec-Fetch-Site", "cross-site"); status != http.StatusForbidden {
		t.Fatalf("cross-site API post: %d", status)
	}
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/api/v1/baskets", "application/json", body, "Sec-Fetch-Site", "same-origin"); status != http.StatusCreated {
		t.Fatalf("same-origin API post: %d", status)
	}
}

func TestPublicURL(t *testing.T) {
	for _, bad := range []string{"http://127.0.0.1:8080/app", "links.example", "https://x/?q=1"} {
		var out, errOut lockedBuffer
		env := &cmdEnv{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }, now: time.Now}
		if code := runServe(env, []string{"--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--public-url", bad}); code != exitUsage || !strings.Contains(errOut.String(), "--public-url") {
			t.Errorf("--public-url %s: %d %s", bad, code, errOut.String())
		}
	}
	// An https public URL, however written, marks the state cookie Secure.
	srv := startServeAt(t, t.TempDir(), nil, "--public-url", "HTTPS://127.0.0.1:1")
	b := newBrowser(t, nil)
	c := createBasket(t, b, srv.URL, liveBasket(t), "")
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/b/"+c.ID+"/go", nil)
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ck := resp.Header.Get("Set-Cookie"); !strings.Contains(ck, "; Secure") || !strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Lax") {
		t.Fatalf("state cookie %q", ck)
	}
	if !strings.HasPrefix(c.ShortURL, "https://127.0.0.1:1/b/") {
		t.Fatalf("short link %s", c.ShortURL)
	}
}

func TestServeRefusesAnOpenAddressWithoutAdminToken(t *testing.T) {
	var out, errOut lockedBuffer
	env := &cmdEnv{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }, now: time.Now}
	code := runServe(env, []string{"--addr", "0.0.0.0:0", "--data-dir", t.TempDir(), "--broker", "sim"})
	if first, _, _ := strings.Cut(errOut.String(), "\n"); code != exitUsage || !strings.Contains(first, "no admin token") {
		t.Fatalf("code %d: %s", code, errOut.String())
	}
}

// TestExpiredContractIsNeverLinked: a saved basket whose contract has expired
// answers 410 on its review page, naming the contract, and its short link
// answers 410, not a redirect.
func TestExpiredContractIsNeverLinked(t *testing.T) { eachDB(t, testExpiredContractIsNeverLinked) }

func testExpiredContractIsNeverLinked(t *testing.T, newDataDir func() string) {
	clock := &testClock{t: time.Now()}
	srv := startServeAt(t, newDataDir(), clock.Now, "--sim-auto", "approve")
	b := newBrowser(t, nil)
	c := createBasket(t, b, srv.URL, liveBasket(t), "weekly")
	if status, _, _ := b.get(c.ShortURL); status != http.StatusFound {
		t.Fatalf("live basket: %d", status)
	}
	clock.Advance(20 * 24 * time.Hour) // past the expiry
	status, loc, body := b.get(c.ShortURL)
	if status != http.StatusGone || loc != "" || !strings.Contains(body, "have expired") || !strings.Contains(body, " FUT<") || strings.Contains(body, `href="/inspect"`) {
		t.Fatalf("expired basket's short link: %d %q %s", status, loc, body)
	}
	status, _, body = b.get(c.ReviewURL)
	if status != http.StatusGone || !strings.Contains(body, "can no longer be placed") || !strings.Contains(body, "have expired") || !strings.Contains(body, " FUT<") || strings.Contains(body, `id="continue"`) {
		t.Fatalf("expired basket's review page: %d %s", status, body)
	}
}

// TestDocumentedBasketEndToEndWithAsOf: serve --as-of is one date for the
// whole demo, so the documented 2022 basket is saved, reviewed, clicked,
// approved by the simulator and completed; without it, Save refuses it.
func TestDocumentedBasketEndToEndWithAsOf(t *testing.T) {
	b := newBrowser(t, nil)
	today := startServe(t, nil, "--sim-auto", "approve")
	if status, _, body := b.do(http.MethodPost, today.URL+"/api/v1/baskets", "application/json", `{"legs":`+documented+`}`); status != http.StatusUnprocessableEntity || !strings.Contains(body, "contract expired") {
		t.Fatalf("the 2022 basket without --as-of: %d %s", status, body)
	}
	for _, flag := range []string{"--as-of", "--sim-as-of"} {
		srv := startServe(t, nil, "--sim-auto", "approve", flag, "2022-11-20")
		c := createBasket(t, b, srv.URL, documented, "documented")
		if status, _, body := b.get(c.ReviewURL); status != http.StatusOK || !strings.Contains(body, "BANKNIFTY 24 NOV 2022 34000 PE") {
			t.Fatalf("%s: review page: %d", flag, status)
		}
		oc, _ := click(t, b, c.ShortURL)
		if status, _, body := b.get(approve(t, b, oc)); status != http.StatusOK || !strings.Contains(body, `data-kind="ok"`) {
			t.Fatalf("%s: callback: %d %s", flag, status, body)
		}
		// The builder's Save judges by the same date.
		form := "legs.0.inst=EQT&legs.0.exch=NSE&legs.0.symbol=acc&legs.0.series=EQ&legs.0.qty=1&legs.0.side=buy&legs.0.type=limit&legs.0.product=intraday&legs.0.limitPrice=1&legs.0.validity=day" +
			"&legs.1.inst=FUTIDX&legs.1.exch=NFO&legs.1.symbol=NIFTY&legs.1.expiry=2022-11-24&legs.1.qty=50&legs.1.side=sell&legs.1.type=market&legs.1.product=intraday&legs.1.limitPrice=0&legs.1.validity=day"
		if status, _, body := b.do(http.MethodPost, srv.URL+"/save", "application/x-www-form-urlencoded", form, "Origin", srv.URL); status != http.StatusOK || !strings.Contains(body, `id="short-url"`) {
			t.Fatalf("%s: Save of a 2022 basket: %d %.2000s", flag, status, body)
		}
	}
}
