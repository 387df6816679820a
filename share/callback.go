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
// happened and why, for the handler to put in words. It never holds any
// part of the access token.
type Outcome struct {
	Status int    // 200, 400, 502, 503 or 504
	Kind   string // store.Status* for a claimed state, or KindBadState
	Reason string // why: one of the Reason* constants
	Detail string // the broker's own words, for ReasonRefused and ReasonDenied
	Saved  *Saved // the basket, when the state named one
	// ID is the recorded outcome's id, 0 when none was recorded; At is when
	// it happened.
	ID int64
	At time.Time
	// Cookies clear the state's cookie and remember the outcome for a
	// reload; nil when the state was not verified.
	Cookies []*http.Cookie
}

// KindBadState is the Kind of a callback refused before its state was claimed.
const KindBadState = "bad_state"

// Reasons of an Outcome.
const (
	ReasonOK          = "ok"          // the broker accepted the sign-in; the code was exchanged
	ReasonCancelled   = "cancelled"   // error=access_denied: the user said no
	ReasonDenied      = "denied"      // another error from the broker (Detail)
	ReasonRefused     = "refused"     // the broker refused the code (Detail)
	ReasonTimeout     = "timeout"     // the broker did not answer in time
	ReasonUnreachable = "unreachable" // the broker could not be reached
	ReasonNoCode      = "no_code"     // no code and no error came back
	ReasonLoad        = "load"        // the basket could not be loaded
	ReasonClaim       = "claim"       // the state could not be claimed
	ReasonSeal        = "seal"        // the token could not be sealed
	ReasonNoState     = "no_state"
	ReasonExpired     = "expired"
	ReasonUnbound     = "unbound" // not this browser's state
	ReasonForged      = "forged"
	ReasonGone        = "gone" // the basket no longer exists
	ReasonUsed        = "used"
)

// Callback handles the broker's redirect to the registered redirect_uri. In
// order: a reload of a callback this browser already finished shows that
// outcome again; else the state's signature, expiry and cookie binding (a
// failure consumes nothing), then the single-use claim (a replay is
// refused), then the broker's answer: an error parameter (the user
// cancelled), or a code to exchange, once, never retried. Every claimed
// state's outcome is recorded.
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
		return Outcome{Status: http.StatusBadRequest, Kind: KindBadState, Reason: ReasonNoState}
	}
	if out, ok := s.remembered(ctx, r, st); ok {
		return out
	}
	claims, err := s.States.VerifyRequest(r, st, s.SecureCookies)
	if err != nil {
		out := Outcome{Status: http.StatusBadRequest, Kind: KindBadState, Reason: stateReason(err)}
		// A state of ours that expired or came back in another browser: the
		// page offers its basket again, to start over from.
		if id, ok := s.States.Signed(st); ok {
			if sv, err := s.Basket(ctx, id); err == nil {
				out.Saved = sv
			}
		}
		return out
	}
	sv, err := s.Basket(ctx, claims.BasketID)
	switch {
	case errors.Is(err, ErrNotFound):
		return Outcome{Status: http.StatusBadRequest, Kind: KindBadState, Reason: ReasonGone}
	case err != nil:
		s.log().ErrorContext(ctx, "load basket", "basket", claims.BasketID, "err", err)
		return Outcome{Status: http.StatusServiceUnavailable, Kind: store.StatusError, Reason: ReasonLoad}
	}
	clear := []*http.Cookie{state.ClearCookie(st, CallbackPath, s.SecureCookies)}
	switch err := s.Store.ClaimState(ctx, claims.Nonce, claims.Expires); {
	case errors.Is(err, store.ErrStateUsed):
		return Outcome{Status: http.StatusBadRequest, Kind: KindBadState, Reason: ReasonUsed, Saved: sv, Cookies: clear}
	case err != nil:
		s.log().ErrorContext(ctx, "claim state", "basket", sv.ID, "err", err)
		return Outcome{Status: http.StatusServiceUnavailable, Kind: store.StatusError, Reason: ReasonClaim, Saved: sv}
	}
	done := func(out Outcome, brokerStatus int, sealed *sealedToken) Outcome {
		out.Saved, out.Cookies = sv, clear
		return s.record(ctx, st, out, brokerStatus, sealed)
	}

	if e := q.Get("error"); e != "" {
		if e == "access_denied" {
			return done(Outcome{Status: http.StatusOK, Kind: store.StatusCancelled, Reason: ReasonCancelled}, 0, nil)
		}
		return done(Outcome{Status: http.StatusOK, Kind: store.StatusCancelled, Reason: ReasonDenied,
			Detail: clip(e+" "+q.Get("error_description"), 200)}, 0, nil)
	}
	code := q.Get("code")
	if code == "" {
		return done(Outcome{Status: http.StatusBadRequest, Kind: store.StatusError, Reason: ReasonNoCode}, 0, nil)
	}

	start := time.Now()
	tok, err := s.Broker.ExchangeCode(ctx, code)
	s.observer().Exchange(time.Since(start))
	var te *tradejini.Error
	switch {
	case errors.Is(err, tradejini.ErrTimeout):
		return done(Outcome{Status: http.StatusGatewayTimeout, Kind: store.StatusTimeout, Reason: ReasonTimeout}, 0, nil)
	case errors.As(err, &te):
		reason := te.Msg
		if reason == "" {
			reason = http.StatusText(te.Status)
		}
		return done(Outcome{Status: http.StatusBadGateway, Kind: store.StatusRefused, Reason: ReasonRefused, Detail: clip(reason, 300)}, te.Status, nil)
	case err != nil:
		s.log().WarnContext(ctx, "exchange code", "basket", sv.ID, "err", err)
		return done(Outcome{Status: http.StatusBadGateway, Kind: store.StatusError, Reason: ReasonUnreachable}, 0, nil)
	}

	if !s.TokenPickup {
		// Nobody will pick the token up: it is never stored.
		return done(Outcome{Status: http.StatusOK, Kind: store.StatusOK, Reason: ReasonOK}, http.StatusOK, nil)
	}
	sealed, err := s.Key.Seal([]byte(tok.AccessToken))
	if err != nil {
		s.log().ErrorContext(ctx, "seal token", "basket", sv.ID, "err", err)
		return done(Outcome{Status: http.StatusServiceUnavailable, Kind: store.StatusError, Reason: ReasonSeal}, 0, nil)
	}
	return done(Outcome{Status: http.StatusOK, Kind: store.StatusOK, Reason: ReasonOK}, http.StatusOK,
		&sealedToken{sealed, s.now().Add(tokenLife(tok.ExpiresIn))})
}

// sealedToken is an access token kept for pickup, and when it expires.
type sealedToken struct {
	sealed  []byte
	expires time.Time
}

// tokenLife is how long a token the broker gave lives: its expires_in, or a
// day (Tradejini's tokens last the trading day) when it says nothing.
func tokenLife(expiresIn int) time.Duration {
	if expiresIn <= 0 {
		return 24 * time.Hour
	}
	return time.Duration(expiresIn) * time.Second
}

// messages are the sentences an outcome is recorded with (for the link's
// owner and the logs; the pages say it in the reader's language).
var messages = map[string]string{
	ReasonOK:          "the broker accepted the sign-in and the code was exchanged",
	ReasonCancelled:   "the user cancelled at the broker",
	ReasonDenied:      "the broker did not complete the sign-in: ",
	ReasonRefused:     "the broker refused the code: ",
	ReasonTimeout:     "the broker did not answer in time",
	ReasonUnreachable: "the broker could not be reached",
	ReasonNoCode:      "the broker sent no code",
	ReasonSeal:        "the token could not be sealed",
}

// record saves a claimed state's outcome and returns it, with the cookie
// that lets this browser find it again on a reload.
func (s *Service) record(ctx context.Context, st string, out Outcome, brokerStatus int, sealed *sealedToken) Outcome {
	out.At = s.now()
	o := store.Outcome{BasketID: out.Saved.ID, Status: out.Kind, HTTPStatus: brokerStatus,
		Message: messages[out.Reason] + out.Detail}
	if sealed != nil {
		o.SealedToken, o.TokenExpiresAt = sealed.sealed, sealed.expires
	}
	id, err := s.Store.RecordOutcome(ctx, o)
	if err != nil {
		s.log().ErrorContext(ctx, "record outcome", "basket", out.Saved.ID, "status", out.Kind, "err", err)
	} else {
		s.observer().Outcome(out.Kind)
		if out.Kind == store.StatusOK && out.Saved.MaxUses > 0 {
			s.forget(out.Saved.ID) // the next click counts this use
		}
	}
	out.ID = id
	if c, err := s.resultCookie(st, out); err == nil {
		out.Cookies = append(out.Cookies, c)
	}
	s.log().InfoContext(ctx, "callback", "basket", out.Saved.ID, "outcome", out.Kind, "broker_status", brokerStatus)
	return out
}

func stateReason(err error) string {
	switch {
	case errors.Is(err, state.ErrExpired):
		return ReasonExpired
	case errors.Is(err, state.ErrUnbound):
		return ReasonUnbound
	}
	return ReasonForged
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
