package handlers

import (
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
	return a.render(c, http.StatusOK, templates.LoginPage(templates.Login{Next: localPath(c.QueryParam("next"))}))
}

// loginPost is POST /login: a right token sets the session cookie and goes on
// to where the creator was going; a wrong one shows the form again, 401.
func (a *app) loginPost(c echo.Context) error {
	if a.cfg.AdminToken == "" {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	next := localPath(c.FormValue("next"))
	if !a.tokenMatches(c.FormValue("token")) {
		a.log.Warn("creator login refused", "remote", c.Request().RemoteAddr)
		return a.render(c, http.StatusUnauthorized, templates.LoginPage(templates.Login{Next: next, Error: "That is not the admin token."}))
	}
	c.SetCookie(a.sessionCookie(a.newSession(), int(sessionTTL.Seconds())))
	return c.Redirect(http.StatusSeeOther, next)
}

// logout is POST /logout: the session cookie is cleared.
func (a *app) logout(c echo.Context) error {
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
