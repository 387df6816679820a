package sim

import (
	"net/http"
	"net/url"

	"basketlink/basket"
)

// authorize is GET /api-gw/oauth/authorize: log in, then back to the app with a code.
func (s *Sim) authorize(w http.ResponseWriter, r *http.Request) {
	s.startFlow(w, r, false)
}

// orderConnect is GET /api-gw/oauth/order-connect: log in, review the basket
// in params, then back to the app with a code.
func (s *Sim) orderConnect(w http.ResponseWriter, r *http.Request) {
	s.startFlow(w, r, true)
}

func (s *Sim) startFlow(w http.ResponseWriter, r *http.Request, withParams bool) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	op := "authorize"
	if withParams {
		op = "order-connect"
	}
	q := r.URL.Query()
	required := []string{"client_id", "redirect_uri", "response_type", "scope", "state"}
	if withParams {
		required = append(required, "params")
	}
	for _, k := range required {
		if q.Get(k) == "" {
			s.refuse(w, op, http.StatusBadRequest, msgInvalidInput, "missing "+k)
			return
		}
	}
	if q.Get("response_type") != "code" || q.Get("scope") != "general" {
		s.refuse(w, op, http.StatusBadRequest, msgInvalidInput, "response_type must be code and scope general")
		return
	}
	if q.Get("client_id") != s.cfg.ClientID || q.Get("redirect_uri") != s.cfg.RedirectURI {
		s.refuse(w, op, http.StatusUnauthorized, msgUnauthorized, "unknown client_id or unregistered redirect_uri")
		return
	}
	p := &pending{state: q.Get("state")}
	if withParams {
		res := basket.Validate([]byte(q.Get("params")), basket.Options{AsOf: s.cfg.AsOf})
		if !res.Valid {
			// The body is the broker's, word for word; the reasons go to the log.
			s.log.Info("refused", "op", op, "status", http.StatusBadRequest, "reason", "invalid params", "errors", res.Errors)
			writeError(w, http.StatusBadRequest, msgInvalidInput)
			return
		}
		p.items = res.Items
	}
	switch s.cfg.Auto {
	case AutoApprove:
		s.log.Info("approved", "op", op, "mode", AutoApprove, "legs", len(p.items))
		s.redirectTo(w, url.Values{"code": {s.store.newCode(s.now())}, "state": {p.state}})
	case AutoCancel:
		s.log.Info("cancelled", "op", op, "mode", AutoCancel)
		s.redirectTo(w, url.Values{"error": {"access_denied"}, "state": {p.state}})
	default:
		if !s.store.addPending(p, s.now()) {
			s.refuse(w, op, http.StatusTooManyRequests, msgRateLimited, "too many pending logins")
			return
		}
		s.log.Info("login page", "op", op, "legs", len(p.items))
		redirectLocal(w, http.StatusFound, "login", p.id)
	}
}

// refuse answers a broker error and logs why, without any secret.
func (s *Sim) refuse(w http.ResponseWriter, op string, status int, msg, reason string) {
	s.log.Info("refused", "op", op, "status", status, "reason", reason)
	writeError(w, status, msg)
}
