package main

import (
	"basketlink/state"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestEmbedReturnTo: return_to is kept only for an allowed origin, travels
// from the click to the callback in a signed cookie (a forged one is
// ignored), and the result page links back with the status. The callback's
// own query cannot set it.
func TestEmbedReturnTo(t *testing.T) {
	const site = "https://fintech.example"
	srv := startServe(t, nil, "--sim-auto", "approve", "--embed-origins", site+",https://other.example")
	b := newBrowser(t, nil)
	c := createBasket(t, b, srv.URL, liveBasket(t), "embedded")

	goLink := func(query string) string {
		t.Helper()
		_, _, page := b.get(c.ReviewURL + query)
		i := strings.Index(page, `id="continue" href="`)
		if i < 0 {
			t.Fatalf("no continue link:\n%.1500s", page)
		}
		return html.UnescapeString(strings.SplitN(page[i+len(`id="continue" href="`):], `"`, 2)[0])
	}
	for _, bad := range []string{"https://evil.example/x", "javascript:alert(1)", "//fintech.example/x", "http://fintech.example/x"} {
		if g := goLink("?return_to=" + url.QueryEscape(bad) + "&origin=" + url.QueryEscape(bad)); strings.Contains(g, "return_to") || strings.Contains(g, "origin") {
			t.Fatalf("return_to %q kept: %s", bad, g)
		}
	}
	back := site + "/plans?id=7"
	g := goLink("?return_to=" + url.QueryEscape(back))
	if !strings.Contains(g, "return_to="+url.QueryEscape(back)) {
		t.Fatalf("allowed return_to dropped: %s", g)
	}

	// The flow: the result page leads back, with the status.
	oc, _ := click(t, b, srv.URL+g)
	cb := approve(t, b, oc)
	// The callback's query cannot redirect anyone.
	status, _, page := b.get(cb + "&return_to=" + url.QueryEscape("https://evil.example/"))
	if status != 200 || strings.Contains(page, `href="https://evil.example`) {
		t.Fatalf("callback: %d, a link to evil.example: %v", status, strings.Contains(page, `href="https://evil.example`))
	}
	i := strings.Index(page, `id="back-to-site" href="`)
	if i < 0 {
		t.Fatalf("no way back on the result page:\n%.2000s", page)
	}
	u, _ := url.Parse(html.UnescapeString(strings.SplitN(page[i+len(`id="back-to-site" href="`):], `"`, 2)[0]))
	if u.Host != "fintech.example" || u.Path != "/plans" || u.Query().Get("id") != "7" ||
		u.Query().Get("basketlink_status") != "completed" || u.Query().Get("basketlink_basket") != c.ID {
		t.Fatalf("back link %s", u)
	}
	// A reload shows the same.
	if _, _, again := b.get(cb); !strings.Contains(again, `id="back-to-site"`) {
		t.Fatal("a reload lost the way back")
	}
	if strings.Contains(page, `id="embed-result"`) {
		t.Fatal("a full-page visit got a popup message")
	}

	// A click without a target, after one with: its result page does not
	// lead to the site (each click's target is its own, named after its state).
	oc, _ = click(t, b, srv.URL+g)
	plain, _ := click(t, b, c.ShortURL)
	if _, _, page := b.get(approve(t, b, plain)); strings.Contains(page, `id="back-to-site"`) || !strings.Contains(page, `data-kind="ok"`) {
		t.Fatalf("a plain click after an embedded one leads back to the site:\n%.1500s", page)
	}
	// ... and the earlier click, from the site, still does.
	if _, _, page := b.get(approve(t, b, oc)); !strings.Contains(page, `id="back-to-site"`) {
		t.Fatalf("the click from the site lost its way back after another click:\n%.1500s", page)
	}

	// A click made on an older basketlink, whose cookies were named by the
	// state's SHA-256 (state.LegacyCookieName), still comes back to the site.
	oc, _ = click(t, b, srv.URL+g)
	ou, _ := url.Parse(oc)
	st := ou.Query().Get("state")
	for _, names := range [][2]string{
		{state.CookieName(st), state.LegacyCookieName(st)},
		{"bl_embed_" + strings.TrimPrefix(state.CookieName(st), state.CookiePrefix), "bl_embed_" + strings.TrimPrefix(state.LegacyCookieName(st), state.CookiePrefix)},
	} {
		ck := b.cookie(srv.URL+"/callback", names[0])
		if ck == nil {
			t.Fatalf("no cookie %s after the click", names[0])
		}
		b.setCookie(srv.URL+"/callback", &http.Cookie{Name: names[0], Value: "", Path: "/callback", MaxAge: -1})
		b.setCookie(srv.URL+"/callback", &http.Cookie{Name: names[1], Value: ck.Value, Path: "/callback"})
	}
	if _, _, page := b.get(approve(t, b, oc)); !strings.Contains(page, `id="back-to-site"`) || !strings.Contains(page, `data-kind="ok"`) {
		t.Fatalf("a click from before the cookies' new names lost its way:\n%.1500s", page)
	}

	// A forged cookie (another target, the MAC of nothing) is ignored.
	oc, _ = click(t, b, srv.URL+g)
	ou, _ = url.Parse(oc)
	name := "bl_embed_" + strings.TrimPrefix(state.CookieName(ou.Query().Get("state")), state.CookiePrefix)
	ck := b.cookie(srv.URL+"/callback", name)
	if ck == nil {
		t.Fatal("no embed cookie after the click")
	}
	p, _, _ := strings.Cut(ck.Value, ".")
	b.setCookie(srv.URL+"/callback", &http.Cookie{Name: name, Value: p + ".AAAA", Path: "/callback"})
	_, _, page = b.get(approve(t, b, oc))
	if strings.Contains(page, `id="back-to-site"`) || !strings.Contains(page, `data-kind="ok"`) {
		t.Fatalf("a forged embed cookie was trusted:\n%.1500s", page)
	}
}

// TestEmbedTryAgainKeepsTheSite: a click from a fintech site's button whose
// sign-in outlasts its state gets the basket offered again with the site's
// origin and return_to kept, and that second try ends with the way back to
// the site. A click of the same basket without a site is offered it plain.
func TestEmbedTryAgainKeepsTheSite(t *testing.T) {
	const site = "https://fintech.example"
	clock := &testClock{t: time.Now()}
	srv := startServeWith(t, t.TempDir(), clock.Now, nil, "--sim-auto", "approve", "--embed-origins", site)
	b := newBrowser(t, nil)
	c := createBasket(t, b, srv.URL, liveBasket(t), "embedded")
	back := site + "/plans?id=7"
	fromSite := "?origin=" + url.QueryEscape(site) + "&return_to=" + url.QueryEscape(back)

	hrefOf := func(page, id string) string {
		t.Helper()
		i := strings.Index(page, `id="`+id+`" href="`)
		if i < 0 {
			t.Fatalf("no #%s link:\n%.2000s", id, page)
		}
		return html.UnescapeString(strings.SplitN(page[i+len(`id="`+id+`" href="`):], `"`, 2)[0])
	}
	_, _, review := b.get(c.ReviewURL + fromSite)
	oc, _ := click(t, b, srv.URL+hrefOf(review, "continue"))
	cb := approve(t, b, oc)
	clock.Advance(16 * time.Minute) // the state lives 15
	status, _, page := b.get(cb)
	if status != http.StatusBadRequest || !strings.Contains(page, "expired") {
		t.Fatalf("expired state: %d\n%.2000s", status, page)
	}
	again, err := url.Parse(hrefOf(page, "try-again"))
	if err != nil || again.Path != "/b/"+c.ID || again.Query().Get("origin") != site || again.Query().Get("return_to") != back {
		t.Fatalf("try again leads to %s (%v), want /b/%s with origin %s and return_to %s", again, err, c.ID, site, back)
	}

	// The second try, from that link, ends with the way back to the site.
	_, _, review = b.get(srv.URL + again.String())
	oc, _ = click(t, b, srv.URL+hrefOf(review, "continue"))
	status, _, page = b.get(approve(t, b, oc))
	if status != http.StatusOK || !strings.Contains(page, `data-kind="ok"`) {
		t.Fatalf("second try: %d\n%.2000s", status, page)
	}
	if u, _ := url.Parse(hrefOf(page, "back-to-site")); u.Host != "fintech.example" || u.Query().Get("basketlink_status") != "completed" {
		t.Fatalf("back link after the second try: %s", u)
	}

	// A plain click's expired state is offered the basket plain.
	oc, _ = click(t, b, c.ShortURL)
	cb = approve(t, b, oc)
	clock.Advance(16 * time.Minute)
	if status, _, page = b.get(cb); status != http.StatusBadRequest || hrefOf(page, "try-again") != "/b/"+c.ID {
		t.Fatalf("plain expired state: %d, try again %q", status, hrefOf(page, "try-again"))
	}
}
