package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"basketlink/store"
)

// linkJSON is the part of GET /api/v1/baskets/{id} these tests read.
type linkJSON struct {
	ID        string     `json:"id"`
	Status    string     `json:"status"`
	ExpiresAt *time.Time `json:"expires_at"`
	MaxUses   *int       `json:"max_uses"`
	Stats     struct {
		Views, Continues, Completed, Cancelled, Refused, Timeout, Error int64
	} `json:"stats"`
}

func getLink(t *testing.T, b *browser, base, id string) linkJSON {
	t.Helper()
	status, _, body := b.get(base + "/api/v1/baskets/" + id)
	if status != http.StatusOK {
		t.Fatalf("get basket: %d %s", status, body)
	}
	var l linkJSON
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatal(err)
	}
	return l
}

func createLink(t *testing.T, b *browser, base, extra string) created {
	t.Helper()
	status, _, out := b.do(http.MethodPost, base+"/api/v1/baskets", "application/json", `{"legs":`+liveBasket(t)+`,"label":"life"`+extra+`}`)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, out)
	}
	var c created
	_ = json.Unmarshal([]byte(out), &c)
	return c
}

// cancelURL is the callback URL of a user who said no at the broker.
func cancelURL(callback string) string {
	u, _ := url.Parse(callback)
	q := u.Query()
	q.Del("code")
	q.Set("error", "access_denied")
	u.RawQuery = q.Encode()
	return u.String()
}

// eventually retries check until it passes or 10 s (the promised delay) pass.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10 s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestLinkCountsEndToEnd(t *testing.T) { eachDB(t, testLinkCountsEndToEnd) }

// A scripted set of views, bot views, HEADs, clicks and outcomes ends in
// exact counts, in the API and on the owner's pages.
func testLinkCountsEndToEnd(t *testing.T, newDataDir func() string) {
	dataDir := newDataDir()
	srv := startServeAt(t, dataDir, nil, "--sim-auto", "approve")
	b := newBrowser(t, nil)
	c := createLink(t, b, srv.URL, "")
	for range 3 {
		if status, _, _ := b.get(c.ReviewURL); status != 200 {
			t.Fatalf("review: %d", status)
		}
	}
	for _, ua := range []string{"WhatsApp/2.23.20.0 A", "facebookexternalhit/1.1", "TelegramBot (like TwitterBot)", "Slackbot-LinkExpanding 1.0"} {
		if status, _, _ := b.do(http.MethodGet, c.ReviewURL, "", "", "User-Agent", ua); status != 200 {
			t.Fatalf("bot review: %d", status)
		}
	}
	for range 2 {
		if status, _, body := b.do(http.MethodHead, c.ReviewURL, "", ""); status != 200 || body != "" {
			t.Fatalf("HEAD of the review page: %d, %d bytes of body", status, len(body))
		}
		if status, loc, _ := b.do(http.MethodHead, c.ShortURL, "", ""); status != http.StatusFound || loc == "" {
			t.Fatalf("HEAD of the short link: %d %q", status, loc)
		}
	}
	// Four clicks here: one completes, one is cancelled, two are left; then
	// one view and one click on a second server and one click on a third.
	oc1, _ := click(t, b, c.ShortURL)
	if status, _, body := b.get(approve(t, b, oc1)); status != 200 {
		t.Fatalf("callback: %d %s", status, body)
	}
	oc2, _ := click(t, b, c.ShortURL)
	if status, _, _ := b.get(cancelURL(approve(t, b, oc2))); status != 200 {
		t.Fatalf("cancel callback: %d", status)
	}
	click(t, b, c.ShortURL)
	click(t, b, c.ShortURL)
	// A refused exchange, on a second server on the same database, whose
	// broker answers 500: its own counts add to the first one's (one view, one continue).
	srv2 := startServeAt(t, dataDir, nil, "--sim-auto", "approve", "--sim-fail-status", "500")
	c2 := created{ShortURL: srv2.URL + "/b/" + c.ID + "/go"}
	oc3, _ := click(t, b, c2.ShortURL)
	if status, _, _ := b.get(approve(t, b, oc3)); status != http.StatusBadGateway {
		t.Fatalf("refused callback: %d", status)
	}
	b.get(srv2.URL + "/b/" + c.ID)
	// A broker too slow to answer: a timeout.
	srv3 := startServeAt(t, dataDir, nil, "--sim-auto", "approve", "--sim-latency", "3s", "--broker-timeout", "300ms")
	oc4, _ := click(t, b, srv3.URL+"/b/"+c.ID+"/go")
	if status, _, _ := b.get(approve(t, b, oc4)); status != http.StatusGatewayTimeout {
		t.Fatalf("slow callback: %d", status)
	}
	var l linkJSON
	eventually(t, "counts", func() bool {
		l = getLink(t, b, srv.URL, c.ID)
		s := l.Stats
		return s.Views == 4 && s.Continues == 6 && s.Completed == 1 && s.Cancelled == 1 && s.Refused == 1 && s.Timeout == 1 && s.Error == 0
	})
	if l.Status != "active" || l.ExpiresAt != nil || l.MaxUses != nil {
		t.Fatalf("link %+v", l)
	}
	status, _, body := b.get(srv.URL + "/api/v1/baskets/" + c.ID + "/outcomes")
	var outs struct {
		Outcomes []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		} `json:"outcomes"`
	}
	_ = json.Unmarshal([]byte(body), &outs)
	if status != 200 || len(outs.Outcomes) != 4 || outs.Outcomes[0].Status != "timeout" || outs.Outcomes[1].Status != "refused" || outs.Outcomes[3].Status != "ok" {
		t.Fatalf("outcomes, newest first: %d %s", status, body)
	}
	status, _, body = b.get(srv.URL + "/links/" + c.ID)
	if status != 200 || !strings.Contains(body, `id="count-views">4<`) || !strings.Contains(body, `id="count-continues">6<`) ||
		!strings.Contains(body, `id="count-completed">1<`) || !strings.Contains(body, " IST") {
		t.Fatalf("link page: %d %s", status, body)
	}
	status, _, body = b.get(srv.URL + "/links?q=LIF")
	if status != 200 || !strings.Contains(body, `data-id="`+c.ID+`"`) {
		t.Fatalf("links page, searched by label: %d %s", status, body)
	}
	if status, _, body = b.get(srv.URL + "/links?q=nothing+like+it"); status != 200 || strings.Contains(body, c.ID) || !strings.Contains(body, `id="links-empty"`) {
		t.Fatalf("links page, a search that matches nothing: %d %s", status, body)
	}
	// Counts gathered but not yet written are written at shutdown.
	b.get(c.ReviewURL)
	if code := srv.Stop(); code != exitOK {
		t.Fatalf("stop: %d", code)
	}
	st, err := openStore(t, dataDir).Stats(context.Background(), c.ID)
	if err != nil || st.Views != 5 {
		t.Fatalf("after shutdown: %+v %v, want 5 views", st, err)
	}
}

func TestLinkStatusesEndToEnd(t *testing.T) { eachDB(t, testLinkStatusesEndToEnd) }

// Each status is reached and its 410 page says why, in English and Hindi;
// /go answers 410 and redirects nowhere; revoke is idempotent; a revoke on
// one server shows on another within the recheck window.
func testLinkStatusesEndToEnd(t *testing.T, newDataDir func() string) {
	dataDir := newDataDir()
	clock := &testClock{t: time.Now()}
	srv := startServeAt(t, dataDir, clock.Now, "--sim-auto", "approve")
	other := startServeAt(t, dataDir, nil, "--sim-auto", "approve")
	b := newBrowser(t, nil)

	for _, bad := range []string{`,"max_uses":0`, `,"max_uses":1.5`, `,"expires_at":"tomorrow"`, `,"expires_at":"2001-01-01T00:00:00Z"`} {
		status, _, body := b.do(http.MethodPost, srv.URL+"/api/v1/baskets", "application/json", `{"legs":`+liveBasket(t)+bad+`}`)
		// The message names the field; the pointer is the root's, as for every
		// error that is not about a leg (pointers point into the legs).
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, strings.Split(bad, `"`)[1]) || !strings.Contains(body, `{"pointer":"","message":`) {
			t.Fatalf("create with %s: %d %s", bad, status, body)
		}
	}

	// used_up: one completed use allowed.
	once := createLink(t, b, srv.URL, `,"max_uses":1`)
	oc, _ := click(t, b, once.ShortURL)
	b.get(approve(t, b, oc))
	if l := getLink(t, b, srv.URL, once.ID); l.Status != "used_up" || l.MaxUses == nil || *l.MaxUses != 1 {
		t.Fatalf("after its one use: %+v", l)
	}
	expect410(t, b, once.ReviewURL, "as many times as its owner allowed", "उतनी बार")
	expect410(t, b, once.ShortURL, "as many times as its owner allowed", "उतनी बार")

	// expired: past expires_at by the server's clock; the page names the time in IST.
	exp := clock.Now().Add(time.Hour).UTC().Truncate(time.Second)
	soon := createLink(t, b, srv.URL, `,"expires_at":"`+exp.Format(time.RFC3339)+`"`)
	if l := getLink(t, b, srv.URL, soon.ID); l.Status != "active" || l.ExpiresAt == nil || !l.ExpiresAt.Equal(exp) {
		t.Fatalf("before expiry: %+v", l)
	}
	clock.Advance(2 * time.Hour)
	if l := getLink(t, b, srv.URL, soon.ID); l.Status != "expired" {
		t.Fatalf("after expiry: %+v", l)
	}
	// The date in the page's language, on the review page and the short link alike.
	inIST := exp.In(time.FixedZone("IST", 19800))
	ist := inIST.Format("2 Jan 2006")
	hindiMonths := [...]string{"जन॰", "फ़र॰", "मार्च", "अप्रैल", "मई", "जून", "जुल॰", "अग॰", "सित॰", "अक्तू॰", "नव॰", "दिस॰"}
	istHindi := fmt.Sprintf("%d %s %d", inIST.Day(), hindiMonths[inIST.Month()-1], inIST.Year())
	expect410(t, b, soon.ReviewURL, "expired on", istHindi)
	expect410(t, b, soon.ReviewURL, ist, "समय-सीमा")
	expect410(t, b, soon.ShortURL, ist, istHindi)

	// revoked: idempotent, seen by another server within the recheck window.
	off := createLink(t, b, srv.URL, "")
	if status, _, _ := b.get(other.URL + "/b/" + off.ID); status != 200 {
		t.Fatalf("the other server before the revoke: %d", status)
	}
	for range 2 {
		status, _, body := b.do(http.MethodPost, srv.URL+"/api/v1/baskets/"+off.ID+"/revoke", "", "")
		if status != 200 || !strings.Contains(body, `"status":"revoked"`) {
			t.Fatalf("revoke: %d %s", status, body)
		}
	}
	expect410(t, b, off.ReviewURL, "turned this link off", "बंद कर दिया")
	eventually(t, "the revoke on the other server", func() bool {
		status, _, _ := b.get(other.URL + "/b/" + off.ID + "/go")
		return status == http.StatusGone
	})
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/api/v1/baskets/AAAAAAAAAAAAAAAA/revoke", "", ""); status != 404 {
		t.Fatalf("revoke of no basket: %d", status)
	}
	// The owner's page: revoke needs its box ticked.
	page := createLink(t, b, srv.URL, "")
	if status, _, body := b.do(http.MethodPost, srv.URL+"/links/"+page.ID+"/revoke", "application/x-www-form-urlencoded", ""); status != 422 || !strings.Contains(body, "Tick the box") {
		t.Fatalf("revoke without confirming: %d %s", status, body)
	}
	if l := getLink(t, b, srv.URL, page.ID); l.Status != "active" {
		t.Fatalf("unconfirmed revoke turned it off: %+v", l)
	}
	if status, loc, _ := b.do(http.MethodPost, srv.URL+"/links/"+page.ID+"/revoke", "application/x-www-form-urlencoded", "confirm=yes"); status != 303 || loc != "/links/"+page.ID {
		t.Fatalf("confirmed revoke: %d %q", status, loc)
	}
	if l := getLink(t, b, srv.URL, page.ID); l.Status != "revoked" {
		t.Fatalf("confirmed revoke: %+v", l)
	}

	// Paging walks every link once, newest first.
	seen := map[string]int{}
	cursor := ""
	pages := 0
	for {
		u := srv.URL + "/api/v1/baskets?limit=2"
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		status, _, body := b.get(u)
		var p struct {
			Baskets    []linkJSON `json:"baskets"`
			NextCursor *string    `json:"next_cursor"`
		}
		if status != 200 || json.Unmarshal([]byte(body), &p) != nil {
			t.Fatalf("list: %d %s", status, body)
		}
		pages++
		for _, l := range p.Baskets {
			seen[l.ID]++
		}
		if p.NextCursor == nil {
			break
		}
		cursor = *p.NextCursor
	}
	if len(seen) != 4 || pages != 2 {
		t.Fatalf("walked %v in %d pages, want 4 links in 2", seen, pages)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s listed %d times", id, n)
		}
	}
	for _, q := range []string{"limit=0", "limit=101", "cursor=zzz"} {
		if status, _, _ := b.get(srv.URL + "/api/v1/baskets?" + q); status != 422 {
			t.Fatalf("list ?%s: %d, want 422", q, status)
		}
	}
}

// expect410 checks a link's 410 in English and in Hindi.
func expect410(t *testing.T, b *browser, u, en, hi string) {
	t.Helper()
	status, loc, body := b.get(u + "?lang=en")
	if status != http.StatusGone || loc != "" || !strings.Contains(body, en) || !strings.Contains(body, `data-status="410"`) || strings.Contains(body, "refused") {
		t.Fatalf("%s: %d %q %s", u, status, loc, body)
	}
	status, _, body = b.get(u + "?lang=hi")
	if status != http.StatusGone || !strings.Contains(body, hi) {
		t.Fatalf("%s in Hindi: %d %s", u, status, body)
	}
}

func TestTokenPickupEndToEnd(t *testing.T) { eachDB(t, testTokenPickupEndToEnd) }

// With pickup on, a completed outcome's token is handed out once, then 410;
// with pickup off the endpoint is 404 and no token is stored.
func testTokenPickupEndToEnd(t *testing.T, newDataDir func() string) {
	dataDir := newDataDir()
	on := startServeWith(t, dataDir, nil, map[string]string{"BASKETLINK_TOKEN_PICKUP": "true"}, "--sim-auto", "approve")
	b := newBrowser(t, nil)
	c := createLink(t, b, on.URL, "")
	oc, _ := click(t, b, c.ShortURL)
	b.get(approve(t, b, oc))
	outs, err := openStore(t, dataDir).Outcomes(context.Background(), c.ID)
	if err != nil || len(outs) != 1 || outs[0].SealedToken == nil {
		t.Fatalf("outcome with pickup on: %+v %v", outs, err)
	}
	tokenURL := on.URL + "/api/v1/outcomes/" + itoa64(outs[0].ID) + "/token"
	status, _, body := b.do(http.MethodPost, tokenURL, "", "")
	var tok struct {
		AccessToken string    `json:"access_token"`
		ExpiresAt   time.Time `json:"expires_at"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &tok) != nil || len(tok.AccessToken) < 16 || !tok.ExpiresAt.After(time.Now()) {
		t.Fatalf("pickup: %d %s", status, body)
	}
	if status, _, _ := b.do(http.MethodPost, tokenURL, "", ""); status != http.StatusGone {
		t.Fatalf("second pickup: %d, want 410", status)
	}
	on.Stop()

	off := startServeAt(t, dataDir, nil, "--sim-auto", "approve")
	if status, _, _ := b.do(http.MethodPost, off.URL+"/api/v1/outcomes/"+itoa64(outs[0].ID)+"/token", "", ""); status != 404 {
		t.Fatalf("pickup with pickup off: %d, want 404", status)
	}
	c2 := createLink(t, b, off.URL, "")
	oc, _ = click(t, b, c2.ShortURL)
	b.get(approve(t, b, oc))
	off.Stop()
	s := openStore(t, dataDir)
	outs, err = s.Outcomes(context.Background(), c2.ID)
	if err != nil || len(outs) != 1 || outs[0].Status != store.StatusOK || outs[0].SealedToken != nil {
		t.Fatalf("outcome with pickup off: %+v %v", outs, err)
	}
	// The token picked up above is nowhere in the database files, WAL included.
	if databaseURL(dataDir) == "" {
		files, _ := filepath.Glob(filepath.Join(dataDir, store.DBFileName+"*"))
		if len(files) == 0 {
			t.Fatal("no database files to scan")
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte(tok.AccessToken)) {
				t.Fatalf("%s holds the access token", f)
			}
		}
	}
}

func itoa64(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestBuilderSaveWithLife: the builder's optional "Limit the link" fields
// are saved with the basket (the time read in IST), refused with a message
// when wrong, and the saved card links to the link's own page.
func TestBuilderSaveWithLife(t *testing.T) {
	srv := startServe(t, nil, "--sim-auto", "approve")
	b := newBrowser(t, nil)
	form := "legs.0.inst=EQT&legs.0.exch=NSE&legs.0.symbol=acc&legs.0.series=EQ&legs.0.qty=1&legs.0.side=buy&legs.0.type=limit&legs.0.product=intraday&legs.0.limitPrice=1&legs.0.validity=day&label=limited"
	for _, bad := range []struct{ fields, says string }{
		{"&max_uses=0", "Completed uses allowed"},
		{"&expires_at=2001-01-01T10:00", "must be in the future"},
		{"&expires_at=soon", "is not a date and time"},
	} {
		status, _, body := b.do(http.MethodPost, srv.URL+"/save", "application/x-www-form-urlencoded", form+bad.fields, "Origin", srv.URL)
		if status != http.StatusOK || !strings.Contains(body, bad.says) || strings.Contains(body, `id="short-url"`) {
			t.Fatalf("Save with %s: %d %.3000s", bad.fields, status, body)
		}
	}
	exp := time.Now().Add(48 * time.Hour).In(time.FixedZone("IST", 19800)).Truncate(time.Minute)
	status, _, body := b.do(http.MethodPost, srv.URL+"/save", "application/x-www-form-urlencoded",
		form+"&max_uses=3&expires_at="+url.QueryEscape(exp.Format("2006-01-02T15:04")), "Origin", srv.URL)
	if status != http.StatusOK || !strings.Contains(body, `id="link-page"`) {
		t.Fatalf("Save: %d %.3000s", status, body)
	}
	i := strings.Index(body, `href="/links/`)
	id := body[i+len(`href="/links/`) : i+len(`href="/links/`)+store.IDLength]
	l := getLink(t, b, srv.URL, id)
	if l.Status != "active" || l.MaxUses == nil || *l.MaxUses != 3 || l.ExpiresAt == nil || !l.ExpiresAt.Equal(exp) {
		t.Fatalf("saved link %+v, want 3 uses until %v", l, exp)
	}
}

func TestTokenPickupEnvMustBeABool(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, strings.NewReader(""), &out, &errOut,
		func(k string) string {
			if k == "BASKETLINK_TOKEN_PICKUP" {
				return "maybe"
			}
			return ""
		})
	if code != exitUsage || !strings.Contains(errOut.String(), `BASKETLINK_TOKEN_PICKUP="maybe": want true or false`) {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
}
