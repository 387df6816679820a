package sim

import (
	"crypto/rand"
	"net/http"
	"net/url"
)

// maxLoginAttempts wrong logins end a pending request, as a real broker
// would lock the account; the user starts again from the app.
const maxLoginAttempts = 5

const sessionCookie = "sim_session"

// login is the simulator's login page (GET) and its form (POST). The hidden
// req field binds the form to one pending request, whose id is unguessable.
func (s *Sim) login(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead, http.MethodPost) {
		return
	}
	if r.Method != http.MethodPost {
		id := r.URL.Query().Get("req")
		var legs int
		if !s.store.withPending(id, s.now(), func(p *pending) bool { legs = len(p.items); return false }) {
			s.unknownRequest(w, r)
			return
		}
		s.render(r.Context(), w, http.StatusOK, loginPage(id, legs, ""))
		return
	}
	if !parseForm(w, r) {
		s.render(r.Context(), w, http.StatusBadRequest, problemPage("Bad request", "The login form was not sent as a form."))
		return
	}
	id := r.PostForm.Get("req")
	ok := s.checkLogin(r.PostForm.Get("password"), r.PostForm.Get("totp"))
	var (
		legs, attempts int
		state, session string
	)
	found := s.store.withPending(id, s.now(), func(p *pending) bool {
		legs, state = len(p.items), p.state
		if !ok {
			p.attempts++
			attempts = p.attempts
			return p.attempts >= maxLoginAttempts
		}
		if p.items == nil {
			return true // authorize: logging in is all there is
		}
		p.session = rand.Text()
		session = p.session
		return false
	})
	switch {
	case !found:
		s.unknownRequest(w, r)
	case !ok && attempts >= maxLoginAttempts:
		s.log.Info("login refused", "reason", "too many wrong attempts", "attempts", attempts)
		s.render(r.Context(), w, http.StatusUnauthorized, problemPage("Too many attempts",
			"The password or TOTP was wrong too many times. Go back to the app and start again."))
	case !ok:
		s.log.Info("login refused", "reason", "wrong password or TOTP", "attempts", attempts)
		s.render(r.Context(), w, http.StatusUnauthorized, loginPage(id, legs, "Wrong password or TOTP. Try again."))
	case legs == 0:
		s.log.Info("logged in", "op", "authorize")
		s.redirectTo(w, url.Values{"code": {s.store.newCode(s.now())}, "state": {state}})
	default:
		s.log.Info("logged in", "op", "order-connect", "legs", legs)
		http.SetCookie(w, &http.Cookie{
			Name: sessionCookie, Value: session, HttpOnly: true, Secure: r.TLS != nil,
			SameSite: http.SameSiteStrictMode, MaxAge: int(pendingLife.Seconds()),
		})
		redirectLocal(w, http.StatusSeeOther, "review", id)
	}
}
