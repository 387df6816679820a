package sim

import (
	"context"
	"embed"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/a-h/templ"

	"basketlink/static"
)

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func loginIntro(legs int) string {
	if legs == 0 {
		return "An app wants to connect to your account."
	}
	return fmt.Sprintf("An app wants to place a basket of %d %s for you. Log in to review it.", legs, plural(legs, "order", "orders"))
}

//go:embed sim.css
var files embed.FS

// assets serves sim.css, gzip-compressed, under its plain and its
// content-hashed name; built once.
var assets = sync.OnceValue(func() *static.Assets {
	a, err := static.New(files)
	if err != nil {
		panic(err) // an embedded file that cannot be read: a broken build
	}
	return a
})

// stylesheetPath is sim.css under its content-hashed name, relative to the
// pages, which all live under /api-gw/oauth/, so it resolves wherever the
// simulator is mounted.
func stylesheetPath() string { return "../../" + assets().Name("sim.css") }

// render writes a page with status. Pages are never cached: they carry the
// request id that binds their forms.
func (s *Sim) render(ctx context.Context, w http.ResponseWriter, status int, page templ.Component) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self' "+s.formTarget())
	w.WriteHeader(status)
	if err := page.Render(ctx, w); err != nil {
		s.log.Warn("render page", "error", err)
	}
}

// formTarget is the origin of the redirect URI: the login and review forms
// end in a redirect there, which CSP form-action must allow.
func (s *Sim) formTarget() string {
	u, err := url.Parse(s.cfg.RedirectURI)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// unknownRequest is the page for a request id that is unknown, finished or expired.
func (s *Sim) unknownRequest(w http.ResponseWriter, r *http.Request) {
	s.render(r.Context(), w, http.StatusBadRequest, problemPage("Request expired",
		"This login request is unknown, already finished or expired. Go back to the app and start again."))
}
