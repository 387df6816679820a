package sim_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"basketlink/sim"
)

// browser is an HTTP client with cookies that stops at each redirect.
func browser(t testing.TB) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// follow resolves a Location against the URL it came from.
func follow(t testing.TB, resp *http.Response) string {
	t.Helper()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("status %d has no Location: %v", resp.StatusCode, err)
	}
	return loc.String()
}

func TestPagesFlow(t *testing.T) {
	now := time.Date(2022, 11, 21, 9, 15, 0, 0, time.UTC)
	srv := start(t, func(c *sim.Config) { c.Now = func() time.Time { return now } })
	params := documented(t)
	goodTOTP := totpAt(t, srv.Cfg.TOTPSecret, now)

	// startLogin opens an order-connect URL and returns the login page's URL and request id.
	startLogin := func(c *http.Client, params *string) (string, string) {
		resp, err := c.Get(flowURL(srv, params, "state-1", nil))
		if err != nil {
			t.Fatal(err)
		}
		readBody(t, resp)
		login := follow(t, resp)
		u, _ := url.Parse(login)
		if !strings.HasSuffix(u.Path, "/v2/api-gw/oauth/login") || u.Query().Get("req") == "" {
			t.Fatalf("order-connect sent the browser to %s", login)
		}
		return login, u.Query().Get("req")
	}
	postLogin := func(c *http.Client, login, id, password, code string) *http.Response {
		resp, err := c.PostForm(login, url.Values{"req": {id}, "password": {password}, "totp": {code}})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}

	t.Run("log in, review, place", func(t *testing.T) {
		c := browser(t)
		login, id := startLogin(c, &params)
		resp, err := c.Get(login)
		if err != nil {
			t.Fatal(err)
		}
		page := readBody(t, resp)
		if resp.StatusCode != 200 || !strings.Contains(page, `name="password"`) || !strings.Contains(page, `name="totp"`) || !strings.Contains(page, "3 orders") {
			t.Fatalf("login page %d:\n%s", resp.StatusCode, page)
		}
		// Its stylesheet is linked under a content-hashed name, cached for a year.
		css := regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"`).FindStringSubmatch(page)
		if css == nil || !regexp.MustCompile(`^\.\./\.\./sim\.[0-9a-f]{8}\.css$`).MatchString(css[1]) {
			t.Fatalf("login page's stylesheet: %v", css)
		}
		cssURL, _ := url.Parse(login)
		resp, err = c.Get(cssURL.ResolveReference(&url.URL{Path: css[1]}).String())
		if err != nil {
			t.Fatal(err)
		}
		if body := readBody(t, resp); resp.StatusCode != 200 || !strings.Contains(body, "banner") ||
			resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
			t.Fatalf("stylesheet %s: %d %q %q", css[1], resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Type"))
		}

		resp = postLogin(c, login, id, "sim-password", "000000")
		if page := readBody(t, resp); resp.StatusCode != 401 || !strings.Contains(page, "Wrong password or TOTP") {
			t.Fatalf("wrong TOTP: %d\n%s", resp.StatusCode, page)
		}
		resp = postLogin(c, login, id, "sim-password", goodTOTP)
		readBody(t, resp)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("good login: %d, want 303", resp.StatusCode)
		}
		review := follow(t, resp)

		// Another browser that knows the request id still cannot see or place the orders.
		stranger := browser(t)
		resp, _ = stranger.Get(review)
		if readBody(t, resp); resp.StatusCode != http.StatusForbidden {
			t.Errorf("review without the session cookie: %d, want 403", resp.StatusCode)
		}
		resp, _ = stranger.PostForm(review, url.Values{"req": {id}, "decision": {"place"}})
		if readBody(t, resp); resp.StatusCode != http.StatusForbidden {
			t.Errorf("place without the session cookie: %d, want 403", resp.StatusCode)
		}

		resp, err = c.Get(review)
		if err != nil {
			t.Fatal(err)
		}
		page = readBody(t, resp)
		for _, want := range []string{"ACC", "NIFTY", "BANKNIFTY", "2700.55", "34000", "mktProt", "Place orders", "Cancel"} {
			if !strings.Contains(page, want) {
				t.Errorf("review page lacks %q", want)
			}
		}
		if strings.Contains(page, srv.Cfg.ClientSecret) {
			t.Error("review page shows the client secret")
		}

		resp, err = c.PostForm(review, url.Values{"req": {id}, "decision": {"place"}})
		if err != nil {
			t.Fatal(err)
		}
		readBody(t, resp)
		loc, _ := url.Parse(follow(t, resp))
		if resp.StatusCode != 302 || loc.Query().Get("state") != "state-1" || loc.Query().Get("code") == "" {
			t.Fatalf("place: %d to %s", resp.StatusCode, loc)
		}
		if status, body := postToken(t, srv, tokenForm(srv, loc.Query().Get("code"))); status != 200 {
			t.Errorf("exchange of the placed code: %d %s", status, body)
		}
		srv.assertNotLogged(t, loc.Query().Get("code"), id)

		// The request is finished: its pages are gone.
		resp, _ = c.PostForm(review, url.Values{"req": {id}, "decision": {"place"}})
		if readBody(t, resp); resp.StatusCode != 400 {
			t.Errorf("placing twice: %d, want 400", resp.StatusCode)
		}
	})

	t.Run("cancel", func(t *testing.T) {
		c := browser(t)
		login, id := startLogin(c, &params)
		resp := postLogin(c, login, id, "sim-password", goodTOTP)
		readBody(t, resp)
		resp, err := c.PostForm(follow(t, resp), url.Values{"req": {id}, "decision": {"cancel"}})
		if err != nil {
			t.Fatal(err)
		}
		readBody(t, resp)
		want := sim.DefaultRedirectURI + "?error=access_denied&state=state-1"
		if got := resp.Header.Get("Location"); resp.StatusCode != 302 || got != want {
			t.Fatalf("cancel: %d to %q, want 302 to %q", resp.StatusCode, got, want)
		}
	})

	t.Run("login only goes straight back with a code", func(t *testing.T) {
		c := browser(t)
		login, id := startLogin(c, nil)
		resp := postLogin(c, login, id, "sim-password", goodTOTP)
		readBody(t, resp)
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != 302 || loc.Query().Get("code") == "" || loc.Query().Get("state") != "state-1" {
			t.Fatalf("authorize login: %d to %s", resp.StatusCode, loc)
		}
	})

	t.Run("review before login goes to the login page", func(t *testing.T) {
		c := browser(t)
		_, id := startLogin(c, &params)
		resp, _ := c.Get(srv.Base + "/api-gw/oauth/review?req=" + id)
		readBody(t, resp)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "login?req=") {
			t.Fatalf("review before login: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("five wrong logins end the request", func(t *testing.T) {
		c := browser(t)
		login, id := startLogin(c, &params)
		for i := range 5 {
			resp := postLogin(c, login, id, "wrong", goodTOTP)
			if readBody(t, resp); resp.StatusCode != 401 {
				t.Fatalf("attempt %d: %d, want 401", i+1, resp.StatusCode)
			}
		}
		resp := postLogin(c, login, id, "sim-password", goodTOTP)
		if page := readBody(t, resp); resp.StatusCode != 400 || !strings.Contains(page, "start again") {
			t.Fatalf("after 5 wrong logins: %d\n%s", resp.StatusCode, page)
		}
	})

	t.Run("unknown request id", func(t *testing.T) {
		resp, _ := browser(t).Get(srv.Base + "/api-gw/oauth/login?req=NOSUCHREQUEST")
		if page := readBody(t, resp); resp.StatusCode != 400 || !strings.Contains(page, "start again") {
			t.Fatalf("unknown id: %d\n%s", resp.StatusCode, page)
		}
	})
}
