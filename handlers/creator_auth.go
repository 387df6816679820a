package handlers

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"basketlink/store"
)

// Creator access: when an admin token is set, the API wants
// "Authorization: Bearer <token>" and the pages a session cookie that the
// login page sets. The cookie holds a random id; the session lives in the
// store, so logging out ends it everywhere, and it records which admin token
// opened it, so changing the token signs everyone out.
const sessionTTL = 12 * time.Hour

// Sessions is where creator sessions are kept; the store satisfies it.
type Sessions interface {
	CreateSession(ctx context.Context, s store.CreatorSession) error
	Session(ctx context.Context, idHash string) (store.CreatorSession, error)
	DeleteSession(ctx context.Context, idHash string) error
	DeleteSessionsExcept(ctx context.Context, tokenMAC string) error
}

// sessionCookieName is the session cookie's name: with an https public URL it
// carries the __Host- prefix, which makes the browser insist on Secure, Path=/
// and no Domain, so no other host can set or shadow it.
func (a *app) sessionCookieName() string {
	if a.cfg.SecureCookies {
		return "__Host-bl_session"
	}
	return "bl_session"
}

// guardCreator lets a request through to the creator routes, or asks who it is.
func (a *app) guardCreator(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		// Creator pages and answers are never cached, guarded or not.
		c.Response().Header().Set("Cache-Control", "no-store")
		if a.cfg.AdminToken == "" {
			return next(c)
		}
		r := c.Request()
		if strings.HasPrefix(r.URL.Path, "/api/") {
			scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="basketlink"`)
				return userError(http.StatusUnauthorized, "this API needs the header Authorization: Bearer <admin token>")
			}
			if err := a.checkToken(c, strings.TrimSpace(token)); err != nil {
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="basketlink"`)
				return err
			}
			return next(c)
		}
		if ck, err := r.Cookie(a.sessionCookieName()); err == nil {
			ok, err := a.sessionValid(r.Context(), ck.Value)
			if err != nil {
				return err
			}
			if ok {
				return next(c)
			}
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return userError(http.StatusUnauthorized, "Your session has ended. Sign in again, then repeat what you were doing.")
		}
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
	}
}

// errWrongToken is a wrong admin token that did not lock the address out.
var errWrongToken = errors.New("wrong admin token")

// checkToken compares a presented admin token, within the per-address limit
// on failures: a locked-out address gets 429 with Retry-After whatever it
// sends, and the lockout is logged once. A wrong token is errWrongToken, or a
// 401 for the API.
func (a *app) checkToken(c echo.Context, token string) error {
	ip := c.RealIP()
	if wait := a.limiter.begin(ip, a.now()); wait > 0 {
		return a.tooManyAttempts(c, wait)
	}
	if a.tokenMatches(token) {
		a.limiter.succeeded(ip)
		return nil
	}
	if a.limiter.failed(ip) {
		a.log.Warn("creator sign-in locked out: too many wrong admin tokens", "remote", ip,
			"failures", authMaxFailures, "for", authWindow.String())
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		return userError(http.StatusUnauthorized, "the admin token in the Authorization header is not the right one")
	}
	return errWrongToken
}

func (a *app) tooManyAttempts(c echo.Context, wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	return userError(http.StatusTooManyRequests, "Too many wrong admin tokens from your address. Try again in %d seconds.", secs)
}

func (a *app) tokenMatches(token string) bool {
	want := sha256.Sum256([]byte(a.cfg.AdminToken))
	got := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(want[:], got[:]) == 1
}

// tokenMAC identifies the current admin token in stored sessions without
// storing anything that helps guess it.
func (a *app) tokenMAC() string {
	return base64.RawURLEncoding.EncodeToString(a.cfg.Key.MAC([]byte("basketlink admin token|" + a.cfg.AdminToken)))
}

// hashSessionID is what the store keeps of a cookie's session id.
func hashSessionID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// errNoSessions: an admin token is set but Config.Sessions is not.
var errNoSessions = errors.New("creator sessions: Config.Sessions is required with an admin token")

// newSession stores a new session and returns its cookie value.
func (a *app) newSession(ctx context.Context) (string, error) {
	if a.cfg.Sessions == nil {
		return "", errNoSessions
	}
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	id := base64.RawURLEncoding.EncodeToString(b[:])
	now := a.now()
	err := a.cfg.Sessions.CreateSession(ctx, store.CreatorSession{
		IDHash: hashSessionID(id), TokenMAC: a.tokenMAC(), CreatedAt: now, ExpiresAt: now.Add(sessionTTL),
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// sessionValid reports whether a cookie value names a live session opened
// with the current admin token. Only a store failure is an error.
func (a *app) sessionValid(ctx context.Context, id string) (bool, error) {
	if id == "" || len(id) > 100 {
		return false, nil
	}
	if a.cfg.Sessions == nil {
		return false, errNoSessions
	}
	s, err := a.cfg.Sessions.Session(ctx, hashSessionID(id))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	mac := a.tokenMAC()
	return subtle.ConstantTimeCompare([]byte(s.TokenMAC), []byte(mac)) == 1 && a.now().Before(s.ExpiresAt), nil
}

func (a *app) sessionCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: a.sessionCookieName(), Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: a.cfg.SecureCookies, SameSite: http.SameSiteLaxMode}
}
