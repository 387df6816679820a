package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"basketlink/basket"
)

// maxAPIBody is the largest body the API reads (docs/http-api.md).
const maxAPIBody = 64 << 10

// readBody reads the whole request body, or answers 413 over maxAPIBody.
func readBody(c echo.Context) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxAPIBody+1))
	if err != nil {
		return nil, userError(http.StatusBadRequest, "the body could not be read: %v", err)
	}
	if len(body) > maxAPIBody {
		return nil, userError(http.StatusRequestEntityTooLarge, "the body is over %d bytes (64 KiB)", maxAPIBody)
	}
	return body, nil
}

// apiOptions reads ?as_of=; a malformed one is a 400 naming as_of.
func (a *app) apiOptions(c echo.Context) (basket.Options, error) {
	opts := basket.Options{MaxLegs: a.maxLegs(), Contracts: a.cfg.Contracts, AsOf: a.cfg.AsOf}
	if s := c.QueryParam("as_of"); s != "" || c.QueryParams().Has("as_of") {
		t, err := basket.ParseAsOf(strings.TrimSpace(s))
		if err != nil {
			return opts, userError(http.StatusBadRequest, "as_of: %v", err)
		}
		opts.AsOf = t
	}
	return opts, nil
}

// resultStatus is 200 for a valid result, 422 for an invalid one.
func resultStatus(res basket.Result) int {
	if res.Valid {
		return http.StatusOK
	}
	return http.StatusUnprocessableEntity
}

// writeJSON answers v as JSON, without escaping & < > (URLs stay readable).
func writeJSON(c echo.Context, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode %s answer: %w", c.Request().URL.Path, err)
	}
	return c.Blob(status, echo.MIMEApplicationJSON, buf.Bytes())
}

// decodeObject reads a JSON object body and returns its members, naming every
// key it does not know. shape describes the expected body for the error message.
func decodeObject(body []byte, shape string, known ...string) (map[string]json.RawMessage, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		if !json.Valid(body) {
			return nil, fmt.Errorf("the body is not JSON: %v", err)
		}
		return nil, errors.New("the body must be a JSON object like " + shape)
	}
	var unknown []string
	for k := range raw {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return nil, fmt.Errorf("unknown keys in the body: %s; it takes %s", strings.Join(quoteAll(unknown), ", "), strings.Join(quoteAll(known), " and "))
	}
	return raw, nil
}
