package sim

import (
	"crypto/subtle"
	"net/http"
	"net/url"
)

// review is the basket review page (GET) and the user's decision (POST):
// "Place orders" or "Cancel". It needs the session cookie set at login, so
// knowing the request id alone is not enough to place orders.
func (s *Sim) review(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead, http.MethodPost) {
		return
	}
	var id, decision string
	if r.Method == http.MethodPost {
		if !parseForm(w, r) {
			s.render(r.Context(), w, http.StatusBadRequest, problemPage("Bad request", "The review form was not sent as a form."))
			return
		}
		id, decision = r.PostForm.Get("req"), r.PostForm.Get("decision")
		if decision != "place" && decision != "cancel" {
			s.render(r.Context(), w, http.StatusBadRequest, problemPage("Bad request", `Choose "Place orders" or "Cancel".`))
			return
		}
	} else {
		id = r.URL.Query().Get("req")
	}
	var cookie string
	if c, err := r.Cookie(sessionCookie); err == nil {
		cookie = c.Value
	}
	var (
		items         []map[string]any
		state         string
		loggedIn, own bool
	)
	found := s.store.withPending(id, s.now(), func(p *pending) bool {
		items, state = p.items, p.state
		loggedIn = p.session != ""
		own = loggedIn && subtle.ConstantTimeCompare([]byte(cookie), []byte(p.session)) == 1
		return own && decision != ""
	})
	switch {
	case !found:
		s.unknownRequest(w, r)
	case !loggedIn:
		redirectLocal(w, http.StatusSeeOther, "login", id)
	case !own:
		s.render(r.Context(), w, http.StatusForbidden, problemPage("Not your session",
			"This review belongs to another browser session. Go back to the app and start again."))
	case decision == "":
		s.render(r.Context(), w, http.StatusOK, reviewPage(id, items))
	case decision == "place":
		s.log.Info("orders placed", "legs", len(items))
		s.redirectTo(w, url.Values{"code": {s.store.newCode(s.now())}, "state": {state}})
	default:
		s.log.Info("orders cancelled", "legs", len(items))
		s.redirectTo(w, url.Values{"error": {"access_denied"}, "state": {state}})
	}
}
