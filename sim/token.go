package sim

import (
	"crypto/rand"
	"mime"
	"net/http"
	"regexp"
)

// maxForm caps a token request body; the five fields fit in a few hundred bytes.
const maxForm = 16 << 10

// codeShape is what newCode issues (crypto/rand.Text); anything else is not a
// code at all (400), while a well-formed unknown or spent code is 401.
var codeShape = regexp.MustCompile(`^[A-Z2-7]{26}$`)

// accessToken is the 200 body of /token and /individual-token-v2.
type accessToken struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
}

func newAccessToken() accessToken {
	return accessToken{AccessToken: rand.Text() + rand.Text(), TokenType: "bearer", ExpiresIn: 86400, Scope: "general"}
}

// token is POST /api-gw/oauth/token: a code from the redirect, with the app's
// credentials, for an access token. Each code works once.
func (s *Sim) token(w http.ResponseWriter, r *http.Request) {
	const op = "token"
	if !allowMethods(w, r, http.MethodPost) || s.fault(w, r, op) {
		return
	}
	if !parseForm(w, r) {
		s.refuse(w, op, http.StatusBadRequest, msgInvalidInput, "body is not a form")
		return
	}
	f := r.PostForm
	for _, k := range []string{"code", "client_id", "redirect_uri", "client_secret", "grant_type"} {
		if f.Get(k) == "" {
			s.refuse(w, op, http.StatusBadRequest, msgInvalidInput, "missing "+k)
			return
		}
	}
	switch {
	case f.Get("grant_type") != "authorization_code":
		s.refuse(w, op, http.StatusBadRequest, msgInvalidInput, "grant_type is not authorization_code")
	case !codeShape.MatchString(f.Get("code")):
		s.refuse(w, op, http.StatusBadRequest, msgInvalidInput, "malformed code")
	case f.Get("redirect_uri") != s.cfg.RedirectURI:
		s.refuse(w, op, http.StatusBadRequest, msgInvalidInput, "unregistered redirect_uri")
	case f.Get("client_id") != s.cfg.ClientID || f.Get("client_secret") != s.cfg.ClientSecret:
		s.refuse(w, op, http.StatusUnauthorized, msgUnauthorized, "wrong client_id or client_secret")
	case !s.store.useCode(f.Get("code"), s.now()):
		s.refuse(w, op, http.StatusUnauthorized, msgUnauthorized, "unknown, used or expired code")
	default:
		s.log.Info("token issued", "op", op)
		writeJSON(w, http.StatusOK, newAccessToken())
	}
}

// parseForm reads a form-encoded body of at most maxForm bytes.
func parseForm(w http.ResponseWriter, r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	return r.ParseForm() == nil
}
