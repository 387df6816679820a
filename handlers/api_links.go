package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"basketlink/basket"
)

// linksRequest is the body of POST /api/v1/links.
type linksRequest struct {
	Legs  json.RawMessage `json:"legs"`
	State *string         `json:"state"`
}

// linksResponse is its answer when the basket is valid.
type linksResponse struct {
	OrderConnectURL string `json:"order_connect_url"`
	Params          string `json:"params"`
}

// apiLinks is POST /api/v1/links[?as_of=D]: body {"legs":[...], "state":"optional"};
// 200 with the order-connect URL built with the configured client, 422 with the
// result when the basket is invalid or its URL too long, 400 for a body that is
// not that object, 413 over 64 KiB. An empty state gets a random one.
func (a *app) apiLinks(c echo.Context) error {
	opts, err := a.apiOptions(c)
	if err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	req, err := decodeLinksRequest(body)
	if err != nil {
		return userError(http.StatusBadRequest, "%v", err)
	}
	res := basket.Validate(req.Legs, opts)
	if !res.Valid {
		return writeJSON(c, http.StatusUnprocessableEntity, res)
	}
	state := ""
	if req.State != nil {
		state = *req.State
	}
	if state == "" {
		state = randomState()
	}
	url, err := basket.OrderConnectURL(a.link(state), res.Params)
	if err != nil {
		var be basket.Error
		if !errors.As(err, &be) {
			be = basket.Error{Message: err.Error()}
		}
		return writeJSON(c, http.StatusUnprocessableEntity, basket.Result{Legs: res.Legs, Errors: []basket.Error{be}})
	}
	return writeJSON(c, http.StatusOK, linksResponse{OrderConnectURL: url, Params: res.Params})
}

// decodeLinksRequest reads the body object, naming every key it does not know.
func decodeLinksRequest(body []byte) (linksRequest, error) {
	raw, err := decodeObject(body, `{"legs":[...], "state":"optional"}`, "legs", "state")
	if err != nil {
		return linksRequest{}, err
	}
	var req linksRequest
	req.Legs = raw["legs"]
	if len(req.Legs) == 0 || bytes.Equal(req.Legs, []byte("null")) {
		return linksRequest{}, errors.New(`the body needs "legs": a JSON array of legs`)
	}
	if s, ok := raw["state"]; ok && !bytes.Equal(s, []byte("null")) {
		var state string
		if err := json.Unmarshal(s, &state); err != nil {
			return linksRequest{}, errors.New(`"state" must be a string`)
		}
		req.State = &state
	}
	return req, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		b, _ := json.Marshal(s)
		out[i] = string(b)
	}
	return out
}
