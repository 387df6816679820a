package share

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
)

// ResultCookiePrefix starts the name of the cookie that remembers how a
// callback ended, so a reload of the result page in the same browser shows
// the same result instead of "this sign-in was already used".
const ResultCookiePrefix = "bl_result_"

// resultLife is how long a browser can reload a result page.
const resultLife = 24 * time.Hour

// remembered is what a result cookie says about this state's callback: the
// outcome it ended in. The cookie is named after the state and signed over
// the state and its content, so it cannot be moved to another state or
// changed. It carries no token.
type remembered struct {
	ID     int64  `json:"o"`
	Basket string `json:"b"`
	Kind   string `json:"k"`
	Reason string `json:"r"`
	Detail string `json:"d,omitempty"`
	Status int    `json:"s"`
	At     int64  `json:"t"`
}

func resultCookieName(st string) string {
	sum := sha256.Sum256([]byte(st))
	return ResultCookiePrefix + hex.EncodeToString(sum[:6])
}

func (s *Service) resultMAC(st string, payload []byte) []byte {
	return s.Key.MAC(resultMessage(st, payload))
}

// resultMessage is what a result cookie's MAC covers.
func resultMessage(st string, payload []byte) []byte {
	return []byte("basketlink result\x00" + st + "\x00" + string(payload))
}

// resultCookie remembers out in this browser for the callback of state st.
func (s *Service) resultCookie(st string, out Outcome) (*http.Cookie, error) {
	if out.Saved == nil {
		return nil, errors.New("no basket")
	}
	payload, err := json.Marshal(remembered{ID: out.ID, Basket: out.Saved.ID, Kind: out.Kind, Reason: out.Reason,
		Detail: out.Detail, Status: out.Status, At: out.At.Unix()})
	if err != nil {
		return nil, err
	}
	enc := base64.RawURLEncoding
	return &http.Cookie{
		Name:     resultCookieName(st),
		Value:    enc.EncodeToString(payload) + "." + enc.EncodeToString(s.resultMAC(st, payload)),
		Path:     CallbackPath,
		MaxAge:   int(resultLife.Seconds()),
		HttpOnly: true,
		Secure:   s.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	}, nil
}

// remembered finds the outcome this browser already got for state st.
func (s *Service) remembered(ctx context.Context, r *http.Request, st string) (Outcome, bool) {
	enc := base64.RawURLEncoding
	for _, c := range r.CookiesNamed(resultCookieName(st)) {
		p, m, ok := strings.Cut(c.Value, ".")
		if !ok {
			continue
		}
		payload, err1 := enc.DecodeString(p)
		mac, err2 := enc.DecodeString(m)
		if err1 != nil || err2 != nil || !s.Key.VerifyMAC(resultMessage(st, payload), mac) {
			continue
		}
		var rm remembered
		if json.Unmarshal(payload, &rm) != nil {
			continue
		}
		out := Outcome{Status: rm.Status, Kind: rm.Kind, Reason: rm.Reason, Detail: rm.Detail, ID: rm.ID, At: time.Unix(rm.At, 0)}
		if sv, err := s.Basket(ctx, rm.Basket); err == nil {
			out.Saved = sv
		}
		return out, true
	}
	return Outcome{}, false
}
