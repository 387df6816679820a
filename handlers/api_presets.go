package handlers

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"basketlink/basket"
)

// apiPresets is GET /api/v1/presets: every preset, its strikes and its legs
// at its usual side, buys first.
func (a *app) apiPresets(c echo.Context) error {
	return writeJSON(c, http.StatusOK, struct {
		Presets []basket.Preset `json:"presets"`
	}{basket.Presets()})
}

// apiPresetBuild is POST /api/v1/presets/{name}[?as_of=D]: the legs of a
// preset for {"symbol","expiry","strikes","lots","side","type","limitPrices","product"},
// 200 {"legs":[...]} when they validate, else 422 with the result object,
// its errors pointing into the request. 404 for an unknown name.
func (a *app) apiPresetBuild(c echo.Context) error {
	p, ok := basket.FindPreset(c.Param("name"))
	if !ok {
		var names []string
		for _, p := range basket.Presets() {
			names = append(names, p.Name)
		}
		return writeJSON(c, http.StatusNotFound, basket.Result{Errors: []basket.Error{{
			Message: "there is no preset " + quoteAll([]string{c.Param("name")})[0] + "; the presets are " + strings.Join(names, ", ")}}})
	}
	opts, err := a.apiOptions(c)
	if err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if !json.Valid(body) {
		return userError(http.StatusBadRequest, "the body is not JSON: send a JSON object like {\"symbol\":\"NIFTY\",\"expiry\":\"2026-12-29\",\"strikes\":[\"26000\"],\"lots\":1,\"type\":\"market\",\"product\":\"intraday\"}")
	}
	req, errs := basket.ParsePresetRequest(body)
	if len(errs) > 0 {
		return writeJSON(c, http.StatusUnprocessableEntity, basket.Result{Errors: errs})
	}
	res := basket.BuildPreset(p, req, opts)
	if !res.Valid {
		return writeJSON(c, http.StatusUnprocessableEntity, res)
	}
	return writeJSON(c, http.StatusOK, struct {
		Legs json.RawMessage `json:"legs"`
	}{json.RawMessage(res.Params)})
}
