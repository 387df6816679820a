package share

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"basketlink/state"
	"basketlink/store"
	"basketlink/tradejini"
)

// RecordGrace is the time a callback has, beyond the broker timeout, to load
// its basket, claim its state and record its outcome.
const RecordGrace = 10 * time.Second

// Outcome is what a callback ends in: the HTTP status of the page, what
// happened, and what the page may show. It never holds the access token.
type Outcome struct {
	Status    int    // 200, 400, 502, 503 or 504
	Kind      string // store.Status* for a claimed state, or "bad_state"
	Message   string // safe to show
	Saved     *Saved // the basket, when the state named one
	TokenTail string // the last 4 characters of the token, on success
	// Cookie clears the state's cookie; nil when the state was not verified.
	Cookie *http.Cookie
}

// Callback handles the broker's redirect to the registered redirect_uri. In
// order: the state's signature, expiry and cookie binding (a failure consumes
// nothing), then the single-use claim (a replay is refused), then the broker's
// answer: an error parameter (the user cancelled), or a code to exchange, once,
// never retried. Every claimed state's outcome is recorded.
//
// The work runs detached from ctx's cancellation: a browser that closes the
// tab mid-exchange (or a server shutting down) must not cancel an exchange
// whose code may already be spent, nor the record of its outcome. It has its
// own deadline instead: the broker timeout plus time to write the outcome.
func (s *Service) Callback(ctx context.Context, r *http.Request) Outcome {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cmp.Or(s.Broker.Timeout, tradejini.DefaultTimeout)+RecordGrace)
	defer cancel()
	q := r.URL.Query()
	st := q.Get("state")
	if st == "" {
		return Outcome{Status: http.StatusBadRequest, Kind: "bad_state", Message: "The link back from Tradejini has no state. Start again from the basket's link."}
	}
	claims, err := s.States.VerifyRequest(r, st, s.SecureCookies)
	if err != nil {
		return Outcome{Status: http.StatusBadRequest, Kind: "bad_state", Message: stateMessage(err)}
	}
	sv, err := s.Basket(ctx, claims.BasketID)
	switch {
	case errors.Is(err, ErrNotFound):
		return Outcome{Status: http.StatusBadRequest, Kind: "bad_state", Message: "The basket this sign-in was for no longer exists."}
	case err != nil:
		s.log().ErrorContext(ctx, "load basket", "basket", claims.BasketID, "err", err)
		return Outcome{Status: http.StatusServiceUnavailable, Kind: store.StatusError,
			Message: "basketlink could not load this basket just now. Try the basket's link again in a moment."}
	}
	clear := state.ClearCookie(st, CallbackPath, s.SecureCookies)
	switch err := s.Store.ClaimState(ctx, claims.Nonce, claims.Expires); {
	case errors.Is(err, store.ErrStateUsed):
		return Outcome{Status: http.StatusBadRequest, Kind: "bad_state", Saved: sv, Cookie: clear,
			Message: "This sign-in was already used. Open the basket's link again to place it once more."}
	case err != nil:
		s.log().ErrorContext(ctx, "claim state", "basket", sv.ID, "err", err)
		return Outcome{Status: http.StatusServiceUnavailable, Kind: store.StatusError, Saved: sv,
			Message: "basketlink could not record this sign-in. Try the basket's link again in a moment."}
	}

	if e := q.Get("error"); e != "" {
		msg := "You cancelled at Tradejini; no orders were placed through basketlink."
		if e != "access_denied" {
			msg = "Tradejini did not complete the sign-in (" + clip(e+" "+q.Get("error_description"), 200) + ")."
		}
		return s.record(ctx, Outcome{Status: http.StatusOK, Kind: store.StatusCancelled, Saved: sv, Cookie: clear, Message: msg}, 0)
	}
	code := q.Get("code")
	if code == "" {
		return s.record(ctx, Outcome{Status: http.StatusBadRequest, Kind: store.StatusError, Saved: sv, Cookie: clear,
			Message: "Tradejini sent no code back, so there is nothing to exchange. Start again from the basket's link."}, 0)
	}

	start := time.Now()
	tok, err := s.Broker.ExchangeCode(ctx, code)
	s.observer().Exchange(time.Since(start))
	var te *tradejini.Error
	switch {
	case errors.Is(err, tradejini.ErrTimeout):
		return s.record(ctx, Outcome{Status: http.StatusGatewayTimeout, Kind: store.StatusTimeout, Saved: sv, Cookie: clear,
			Message: "Tradejini did not answer in time while confirming your sign-in. Your orders may still have been placed: check your Tradejini order book before trying again."}, 0)
	case errors.As(err, &te):
		reason := te.Msg
		if reason == "" {
			reason = http.StatusText(te.Status)
		}
		return s.record(ctx, Outcome{Status: http.StatusBadGateway, Kind: store.StatusRefused, Saved: sv, Cookie: clear,
			Message: "Tradejini refused the sign-in code (" + clip(reason, 300) + ")."}, te.Status)
	case err != nil:
		s.log().WarnContext(ctx, "exchange code", "basket", sv.ID, "err", err)
		return s.record(ctx, Outcome{Status: http.StatusBadGateway, Kind: store.StatusError, Saved: sv, Cookie: clear,
			Message: "basketlink could not reach Tradejini to confirm your sign-in. Check your Tradejini order book before trying again."}, 0)
	}

	sealed, err := s.Key.Seal([]byte(tok.AccessToken))
	if err != nil {
		s.log().ErrorContext(ctx, "seal token", "basket", sv.ID, "err", err)
		return s.record(ctx, Outcome{Status: http.StatusServiceUnavailable, Kind: store.StatusError, Saved: sv, Cookie: clear,
			Message: "You are signed in, but basketlink could not store the session safely."}, 0)
	}
	out := Outcome{Status: http.StatusOK, Kind: store.StatusOK, Saved: sv, Cookie: clear, TokenTail: tail(tok.AccessToken),
		Message: "You are signed in at Tradejini and the basket went through."}
	o := store.Outcome{BasketID: sv.ID, Status: out.Kind, HTTPStatus: http.StatusOK, Message: out.Message, TokenTail: out.TokenTail, SealedToken: sealed}
	if _, err := s.Store.RecordOutcome(ctx, o); err != nil {
		s.log().ErrorContext(ctx, "record outcome", "basket", sv.ID, "status", out.Kind, "err", err)
	} else {
		s.observer().Outcome(out.Kind)
	}
	s.log().InfoContext(ctx, "callback", "basket", sv.ID, "outcome", out.Kind)
	return out
}

// record saves a claimed state's outcome (without a token) and returns it.
func (s *Service) record(ctx context.Context, out Outcome, brokerStatus int) Outcome {
	o := store.Outcome{BasketID: out.Saved.ID, Status: out.Kind, HTTPStatus: brokerStatus, Message: out.Message}
	if _, err := s.Store.RecordOutcome(ctx, o); err != nil {
		s.log().ErrorContext(ctx, "record outcome", "basket", out.Saved.ID, "status", out.Kind, "err", err)
	} else {
		s.observer().Outcome(out.Kind)
	}
	s.log().InfoContext(ctx, "callback", "basket", out.Saved.ID, "outcome", out.Kind, "broker_status", brokerStatus)
	return out
}

func stateMessage(err error) string {
	switch {
	case errors.Is(err, state.ErrExpired):
		return "This sign-in took too long and expired. Open the basket's link again."
	case errors.Is(err, state.ErrUnbound):
		return "This sign-in was started in another browser (or its cookie is gone). Open the basket's link again in this browser."
	}
	return "The link back from Tradejini is not one basketlink issued. Open the basket's link again."
}

// tail is the last 4 characters of a token: all a page may show of it.
func tail(tok string) string {
	if len(tok) <= 8 {
		return "" // too short to show any of it safely
	}
	return tok[len(tok)-4:]
}

// clip shortens s to at most n bytes, at a character boundary.
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
