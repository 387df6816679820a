package handlers

import (
	"context"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"basketlink/i18n"
	"basketlink/templates"
)

// langCookieLife is how long a language picked with ?lang= is remembered.
const langCookieLife = 365 * 24 * 60 * 60

// publicPage prepares a page anyone with a link may see: its language
// (?lang=, then the language cookie, then Accept-Language) and its frame (who
// shares, the switch to the other language). A ?lang= choice is remembered
// in a cookie.
func (a *app) publicPage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a.preparePublic(c)
		return next(c)
	}
}

// preparePublic puts the page's language and frame in the request's context.
func (a *app) preparePublic(c echo.Context) {
	r := c.Request()
	if _, done := r.Context().Value(publicReady{}).(bool); done {
		return
	}
	q := c.QueryParam("lang")
	cookie := ""
	if ck, err := r.Cookie(i18n.CookieName); err == nil {
		cookie = ck.Value
	}
	lang := i18n.Choose(q, cookie, r.Header.Get("Accept-Language"))
	if l, ok := i18n.Parse(q); ok && l == lang && cookie != string(l) {
		c.SetCookie(&http.Cookie{Name: i18n.CookieName, Value: string(l), Path: "/", MaxAge: langCookieLife,
			HttpOnly: true, Secure: a.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	c.Response().Header().Add("Vary", "Accept-Language, Cookie")
	ctx := i18n.With(r.Context(), lang)
	ctx = templates.WithFrame(ctx, templates.Frame{Brand: a.cfg.Brand, SwitchURL: switchURL(r.URL, lang.Other())})
	c.SetRequest(r.WithContext(context.WithValue(ctx, publicReady{}, true)))
}

type publicReady struct{}

// switchURL is this page in the other language. The callback's code is left
// out: a link in the page must not carry it (the state finds the result again).
func switchURL(u *url.URL, to i18n.Lang) string {
	if u.RawQuery == "" { // most views: no query to keep
		return u.Path + "?lang=" + url.QueryEscape(string(to))
	}
	q := u.Query()
	q.Del("code")
	q.Set("lang", string(to))
	return u.Path + "?" + q.Encode()
}

// pageError is an error a client reads on a public page, in their language.
type pageError struct {
	view templates.ProblemView
}

func (e *pageError) Error() string {
	return http.StatusText(e.view.Status) + ": " + e.view.BodyKey + e.view.Text
}

// notFoundBasket is the 404 of a link with no basket behind it.
func notFoundBasket() error {
	return &pageError{templates.ProblemView{Status: http.StatusNotFound, TitleKey: "problem.404.title", BodyKey: "problem.basket404.body"}}
}

// gone is the 410 of a link that can no longer be used: bodyKey says why
// (a contract expired, the link is no longer active), lines name what.
func gone(bodyKey string, lines []string) error {
	return &pageError{templates.ProblemView{Status: http.StatusGone, TitleKey: "problem.410.title",
		BodyKey: bodyKey, Lines: lines, AfterKey: "problem.410.ask"}}
}

// creatorPaths are the pages of the people who build baskets; an error
// there keeps the creator's frame. Every other page's error is public.
var creatorPaths = map[string]bool{"/": true, "/inspect": true, "/save": true}

// publicProblem is the error page a client sees for status, with the
// message from the code when there is no better one in the catalog.
func publicProblem(status int, msg string) templates.ProblemView {
	switch status {
	case http.StatusNotFound:
		return templates.ProblemView{Status: status, TitleKey: "problem.404.title", BodyKey: "problem.404.body"}
	case http.StatusMethodNotAllowed:
		return templates.ProblemView{Status: status, TitleKey: "problem.status", BodyKey: "problem.405.body"}
	case http.StatusBadRequest:
		return templates.ProblemView{Status: status, TitleKey: "problem.400.title", Text: msg}
	}
	if status >= 500 {
		return templates.ProblemView{Status: status, TitleKey: "problem.500.title", BodyKey: "problem.500.body"}
	}
	return templates.ProblemView{Status: status, TitleKey: "problem.status", Text: msg}
}
