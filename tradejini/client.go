// Package tradejini talks to Tradejini's four OAuth endpoints: it builds the
// order-connect and login URLs, exchanges a code for a token, and gets an
// individual token. It never retries: a repeated 401 can lock a real account,
// and a code exchange must not be replayed behind the caller's back.
package tradejini

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"basketlink/basket"
)

// DefaultTimeout bounds one call when Client.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// maxBody caps how much of an answer is read; a token answer is a few hundred bytes.
const maxBody = 64 << 10

const (
	tokenPath      = "/api-gw/oauth/token"
	individualPath = "/api-gw/oauth/individual-token-v2"
)

// Client is a registered Tradejini app. The zero value of each field is
// usable: BaseURL defaults to basket.DefaultBaseURL, HTTP to a plain
// http.Client, Timeout to DefaultTimeout.
type Client struct {
	BaseURL      string
	ClientID     string
	ClientSecret string
	RedirectURI  string
	HTTP         *http.Client
	Timeout      time.Duration
}

func (c *Client) link(state string) basket.Link {
	return basket.Link{BaseURL: c.BaseURL, ClientID: c.ClientID, RedirectURI: c.RedirectURI, State: state}
}

// OrderConnectURL returns the order-connect URL for canonical params.
func (c *Client) OrderConnectURL(state, params string) (string, error) {
	return basket.OrderConnectURL(c.link(state), params)
}

// LoginURL returns the login-only (authorize) URL.
func (c *Client) LoginURL(state string) string {
	return basket.LoginURL(c.link(state))
}

// ExchangeCode trades the code from the redirect for an access token.
func (c *Client) ExchangeCode(ctx context.Context, code string) (Token, error) {
	form := url.Values{
		"code":          {code},
		"client_id":     {c.ClientID},
		"redirect_uri":  {c.RedirectURI},
		"client_secret": {c.ClientSecret},
		"grant_type":    {"authorization_code"},
	}
	return c.post(ctx, "exchange code", tokenPath, form, "")
}

// IndividualToken logs in an individual app directly. twoFaTyp is "totp" for
// an authenticator code (see TOTP) or "otp" for an SMS or e-mail code.
func (c *Client) IndividualToken(ctx context.Context, apiKey, password, twoFa, twoFaTyp string) (Token, error) {
	form := url.Values{
		"password": {password},
		"twoFa":    {twoFa},
		"twoFaTyp": {twoFaTyp},
	}
	return c.post(ctx, "individual token", individualPath, form, "Bearer "+apiKey)
}

func (c *Client) base() string {
	return strings.TrimRight(cmp.Or(c.BaseURL, basket.DefaultBaseURL), "/")
}

// httpClient is c.HTTP that never follows a redirect: a token endpoint that
// answers 3xx is an error, and the form (with its secrets) must not travel on.
func (c *Client) httpClient() *http.Client {
	hc := http.Client{}
	if c.HTTP != nil {
		hc = *c.HTTP
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc
}

// post sends form to path and decodes the token, or returns an *Error for any
// status but 200, or an error wrapping ErrTimeout when the call ran out of time.
func (c *Client) post(ctx context.Context, op, path string, form url.Values, authorization string) (Token, error) {
	timeout := cmp.Or(c.Timeout, DefaultTimeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base()+path, strings.NewReader(form.Encode()))
	if err != nil {
		return Token{}, fmt.Errorf("tradejini: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return Token{}, transportError(op, timeout, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return Token{}, transportError(op, timeout, err)
	}
	if resp.StatusCode != http.StatusOK {
		return Token{}, &Error{Op: op, Status: resp.StatusCode, Msg: brokerMsg(body)}
	}
	var tok Token
	if err := json.Unmarshal(body, &tok); err != nil {
		return Token{}, fmt.Errorf("tradejini: %s: the 200 answer is not a token: %w", op, err)
	}
	if tok.AccessToken == "" {
		return Token{}, fmt.Errorf("tradejini: %s: the 200 answer has no access_token", op)
	}
	return tok, nil
}

// transportError wraps a failure to get an answer, marking timeouts with ErrTimeout.
// A *url.Error names the URL, which carries no secret: codes and passwords
// travel in the form body.
func transportError(op string, timeout time.Duration, err error) error {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Errorf("tradejini: %s: %w (no answer within %s): %w", op, ErrTimeout, timeout, err)
	}
	return fmt.Errorf("tradejini: %s: %w", op, err)
}

// brokerMsg returns the msg of a {"s":"error","msg":...} body, or "" when the
// body is not that shape (it is then not echoed: it could be anything).
func brokerMsg(body []byte) string {
	var e struct {
		Msg string `json:"msg"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	const maxMsg = 300
	if len(e.Msg) <= maxMsg {
		return e.Msg
	}
	n := maxMsg
	for n > 0 && !utf8.RuneStart(e.Msg[n]) {
		n-- // cut at a character boundary
	}
	return e.Msg[:n] + "…"
}
