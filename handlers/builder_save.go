package handlers

import (
	"errors"

	"github.com/labstack/echo/v4"

	"basketlink/store"
	"basketlink/templates"
)

// builderSave is POST /save, the builder's "Save and share": the same form as
// POST /, saved when it is valid, answered with the builder showing the short
// link and the review link. An invalid basket shows its errors and saves nothing.
func (a *app) builderSave(c echo.Context) error {
	r := c.Request()
	if err := a.parseBuilderForm(c); err != nil {
		return err
	}
	r.PostForm.Set("op", "check")
	v := a.buildBasket(r.PostForm)
	if v.Links == nil {
		return a.renderBuilder(c, v)
	}
	life, problem := a.formLife(r.PostForm.Get("expires_at"), r.PostForm.Get("max_uses"))
	if problem != "" {
		v.Errors.Root = append(v.Errors.Root, problem)
		v.Links = nil
		return a.renderBuilder(c, v)
	}
	sv, res, err := a.cfg.Share.SaveLink(r.Context(), v.Label, v.Basket.JSON(), life)
	switch {
	case errors.Is(err, store.ErrInvalid):
		v.Errors.Root = append(v.Errors.Root, inputProblem(err))
		v.Links = nil
	case err != nil:
		return err
	case sv == nil:
		// Valid as the builder checked it, not as of today (an as_of in the past).
		for _, e := range res.Errors {
			v.Errors.Root = append(v.Errors.Root, "not saved: "+e.Pointer+": "+e.Message)
		}
		v.Links = nil
	default:
		v.Shared = &templates.Shared{
			ID:        sv.ID,
			ShortURL:  a.cfg.PublicURL + "/b/" + sv.ID + "/go",
			ReviewURL: a.cfg.PublicURL + "/b/" + sv.ID,
			PublicURL: a.cfg.PublicURL,
			Label:     sv.Label,
			Summary:   templates.Summary(r.Context(), templates.Tickets(sv.Result.Parsed)),
		}
	}
	return a.renderBuilder(c, v)
}
