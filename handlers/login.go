package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"basketlink/templates"
)

// loginShow is GET /login: the admin token form. Without an admin token there
// is nothing to sign in to.
func (a *app) loginShow(c echo.Context) error {
	if a.cfg.AdminToken == "" {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return a.render(c, http.StatusOK, templates.LoginPage(templates.Login{Next: localPath(c.QueryParam("next"))}))
}

// maxLoginBody bounds POST /login: a token and a path fit many times over.
const maxLoginBody = 8 << 10

// loginPost is POST /login: a right token opens a session and goes on to
// where the creator was going; a wrong one shows the form again, 401. Wrong
// tokens are limited per address (checkToken).
func (a *app) loginPost(c echo.Context) error {
	if a.cfg.AdminToken == "" {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if err := parseForm(c, maxLoginBody); err != nil {
		return err
	}
	form := c.Request().PostForm
	next := localPath(form.Get("next"))
	switch err := a.checkToken(c, form.Get("token")); {
	case errors.Is(err, errWrongToken):
		return a.render(c, http.StatusUnauthorized, templates.LoginPage(templates.Login{Next: next, Error: "That is not the admin token."}))
	case err != nil:
		return err
	}
	ctx := c.Request().Context()
	id, err := a.newSession(ctx)
	if err != nil {
		return err
	}
	// Sessions opened with an earlier admin token are dead already; drop them.
	if err := a.cfg.Sessions.DeleteSessionsExcept(ctx, a.tokenMAC()); err != nil {
		a.log.Warn("drop sessions of an earlier admin token", "err", err)
	}
	c.SetCookie(a.sessionCookie(id, int(sessionTTL.Seconds())))
	return c.Redirect(http.StatusSeeOther, next)
}

// logout is POST /logout: the session ends on the server and its cookie is cleared.
func (a *app) logout(c echo.Context) error {
	if ck, err := c.Request().Cookie(a.sessionCookieName()); err == nil && ck.Value != "" && a.cfg.Sessions != nil {
		if err := a.cfg.Sessions.DeleteSession(c.Request().Context(), hashSessionID(ck.Value)); err != nil {
			return err
		}
	}
	c.SetCookie(a.sessionCookie("", -1))
	return c.Redirect(http.StatusSeeOther, "/login")
}

// localPath keeps a redirect target on this site: a path, never a URL
// elsewhere. Browsers drop tabs and newlines from URLs and read \ as /, so
// "/\t/evil.example" would become "//evil.example": any of those fall back to "/".
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\") || strings.ContainsFunc(p, unicode.IsControl) || strings.ContainsFunc(p, unicode.IsSpace) {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return p
}
