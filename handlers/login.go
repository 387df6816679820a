package handlers

import (
	"net/http"
	"strings"

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
		a.log.Warn("creator login refused", "remote", c.RealIP())
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

// localPath keeps a redirect target on this site: a path, never a URL elsewhere.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}
