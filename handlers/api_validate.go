package handlers

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"basketlink/basket"
)

// apiValidate is POST /api/v1/validate[?as_of=D]: the body is a basket (a JSON
// array of legs); 200 with the result when valid, 422 when not, 400 for a body
// that is not JSON, 413 over 64 KiB.
func (a *app) apiValidate(c echo.Context) error {
	opts, err := a.apiOptions(c)
	if err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if !json.Valid(body) {
		res := basket.Validate(body, opts) // says where the JSON breaks
		return writeJSON(c, http.StatusBadRequest, res)
	}
	res := basket.Validate(body, opts)
	return writeJSON(c, resultStatus(res), res)
}
