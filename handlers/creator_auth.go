package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// Creator access: when an admin token is set, the API wants
// "Authorization: Bearer <token>" and the pages a session cookie that the
// login page sets. The cookie holds an expiry and a MAC over it and over a hash
// of the token, so changing the token signs everyone out.
const (
	sessionCookie = "bl_session"
	sessionTTL    = 12 * time.Hour
)

// guardCreator lets a request through to the creator routes, or asks who it is.
func (a *app) guardCreator(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if a.cfg.AdminToken == "" {
			return next(c)
		}
		r := c.Request()
		if strings.HasPrefix(r.URL.Path, "/api/") {
			scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			if strings.EqualFold(scheme, "Bearer") && a.tokenMatches(strings.TrimSpace(token)) {
				return next(c)
			}
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="basketlink"`)
			return userError(http.StatusUnauthorized, "this API needs the header Authorization: Bearer <admin token>")
		}
		if ck, err := r.Cookie(sessionCookie); err == nil && a.sessionValid(ck.Value) {
			return next(c)
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return userError(http.StatusUnauthorized, "Your session has ended. Sign in again, then repeat what you were doing.")
		}
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
	}
}

func (a *app) tokenMatches(token string) bool {
	want := sha256.Sum256([]byte(a.cfg.AdminToken))
	got := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(want[:], got[:]) == 1
}

// newSession returns a session cookie value valid for sessionTTL.
func (a *app) newSession() string {
	exp := strconv.FormatInt(a.now().Add(sessionTTL).Unix(), 10)
	return exp + "." + base64.RawURLEncoding.EncodeToString(a.sessionMAC(exp))
}

func (a *app) sessionMAC(exp string) []byte {
	tok := sha256.Sum256([]byte(a.cfg.AdminToken))
	return a.cfg.Key.MAC([]byte("basketlink session|" + exp + "|" + base64.RawURLEncoding.EncodeToString(tok[:])))
}

func (a *app) sessionValid(v string) bool {
	exp, sig, ok := strings.Cut(v, ".")
	if !ok {
		return false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, a.sessionMAC(exp)) {
		return false
	}
	unix, err := strconv.ParseInt(exp, 10, 64)
	return err == nil && a.now().Unix() < unix
}

func (a *app) sessionCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: a.cfg.SecureCookies, SameSite: http.SameSiteLaxMode}
}
