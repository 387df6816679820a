package basket

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unsafe"
)

// DefaultBaseURL is Tradejini's API base; the OAuth endpoints live under it.
const DefaultBaseURL = "https://api.tradejini.com/v2"

// MaxURLBytes is the longest order-connect URL a basket may produce.
const MaxURLBytes = 8000

const (
	orderConnectPath = "/api-gw/oauth/order-connect"
	authorizePath    = "/api-gw/oauth/authorize"
)

// Link is what an order-connect or login URL is built from, besides the basket.
type Link struct {
	BaseURL     string // empty means DefaultBaseURL
	ClientID    string
	RedirectURI string
	State       string
}

func (l Link) base() string {
	if l.BaseURL == "" {
		return DefaultBaseURL
	}
	return strings.TrimRight(l.BaseURL, "/")
}

// query writes the OAuth query in the documented order, every value escaped.
func (l Link) query(b *strings.Builder) {
	b.WriteString("?client_id=")
	b.WriteString(url.QueryEscape(l.ClientID))
	b.WriteString("&redirect_uri=")
	b.WriteString(url.QueryEscape(l.RedirectURI))
	b.WriteString("&response_type=code&scope=general&state=")
	b.WriteString(url.QueryEscape(l.State))
}

// OrderConnectURL returns the order-connect URL carrying params, which should be
// canonical params from a valid Result. A URL over MaxURLBytes is an Error at the root.
func OrderConnectURL(l Link, params string) (string, error) {
	var b strings.Builder
	b.WriteString(l.base())
	b.WriteString(orderConnectPath)
	l.query(&b)
	b.WriteString("&params=")
	b.WriteString(url.QueryEscape(params))
	if b.Len() > MaxURLBytes {
		return "", tooLong(b.Len())
	}
	return b.String(), nil
}

// Template is one server's order-connect URL up to its state, shared by
// every basket it links to: a cached basket keeps only its canonical params,
// escaped on each click (about a microsecond) instead of held escaped.
type Template struct {
	head     string
	stateLen int
}

// OrderConnectTemplate is OrderConnectURL with the state and the params left
// open (l.State is ignored). Check measures a basket's URL with a state of
// stateLen bytes.
func OrderConnectTemplate(l Link, stateLen int) Template {
	l.State = ""
	var b strings.Builder
	b.WriteString(l.base())
	b.WriteString(orderConnectPath)
	l.query(&b)
	return Template{head: b.String(), stateLen: stateLen}
}

// Check reports a basket whose URL would be over MaxURLBytes, as an Error at the root.
func (t Template) Check(params string) error {
	if n := len(t.head) + t.stateLen + len("&params=") + queryEscapedLen(params); n > MaxURLBytes {
		return tooLong(n)
	}
	return nil
}

// URL is the order-connect URL of params with state.
func (t Template) URL(state, params string) string { return urlOf(t, state, params) }

// URLBytes is URL of params held in bytes.
func (t Template) URLBytes(state string, params []byte) string { return urlOf(t, state, params) }

func urlOf[P string | []byte](t Template, state string, params P) string {
	b := make([]byte, len(t.head)+queryEscapedLen(state)+len("&params=")+queryEscapedLen(params))
	n := copy(b, t.head)
	n += putQueryEscape(b[n:], state)
	n += copy(b[n:], "&params=")
	putQueryEscape(b[n:], params)
	return unsafe.String(unsafe.SliceData(b), len(b)) // b is not used again
}

// putQueryEscape writes url.QueryEscape(s) into b, which has room for
// queryEscapedLen(s) bytes, in one pass (a click escapes its basket's
// params; net/url walks them twice and copies), and returns that length.
func putQueryEscape[S string | []byte](b []byte, s S) int {
	const hex = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; queryByte[c] {
		case 1:
			b[n] = c
			n++
		case 3:
			b[n], b[n+1], b[n+2] = '%', hex[c>>4], hex[c&15]
			n += 3
		default: // ' '
			b[n] = '+'
			n++
		}
	}
	return n
}

// queryByte is how many bytes each byte takes query-escaped; a space (0)
// becomes '+'.
var queryByte = func() (t [256]byte) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			t[c] = 1
		case c == ' ':
			t[c] = 0
		default:
			t[c] = 3
		}
	}
	return t
}()

// LoginURL returns the login-only URL: authorize, with no basket.
func LoginURL(l Link) string {
	var b strings.Builder
	b.WriteString(l.base())
	b.WriteString(authorizePath)
	l.query(&b)
	return b.String()
}

func tooLong(n int) Error {
	return rootError(fmt.Sprintf("the order-connect URL would be %d bytes, over the %d-byte limit: remove legs", n, MaxURLBytes))
}

// urlOverhead is the length of an order-connect URL on the default base with
// empty client, redirect and state: what validation assumes when it has no Link.
var urlOverhead = len(DefaultBaseURL + orderConnectPath + "?client_id=&redirect_uri=&response_type=code&scope=general&state=&params=")

// Decoded is an order-connect (or login) URL taken apart.
type Decoded struct {
	// BaseURL is everything before /api-gw/oauth/..., e.g. https://api.tradejini.com/v2.
	BaseURL string
	// Endpoint is "order-connect", "authorize" or, for any other path, the path itself.
	Endpoint string
	// Query holds every query parameter but params, in the order they appear.
	Query []Param
	// Params is the raw params value; HasParams says whether it was there at
	// all, ParamsCount how many times (a repeated params is an error).
	Params      string
	HasParams   bool
	ParamsCount int
}

// Param is one query parameter.
type Param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ErrNotURL is returned by DecodeURL for input that is not an absolute URL with a query.
var ErrNotURL = errors.New("not an order-connect URL")

// DecodeURL takes an order-connect URL apart. It does not validate the basket.
func DecodeURL(raw string) (Decoded, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return Decoded{}, fmt.Errorf("%w: %v", ErrNotURL, unwrapURLError(err))
	}
	if u.Scheme == "" || u.Host == "" {
		return Decoded{}, fmt.Errorf("%w: it needs a scheme and host, like https://api.tradejini.com/v2%s?...", ErrNotURL, orderConnectPath)
	}
	var d Decoded
	path := u.EscapedPath()
	switch {
	case strings.HasSuffix(path, orderConnectPath):
		d.Endpoint = "order-connect"
		path = strings.TrimSuffix(path, orderConnectPath)
	case strings.HasSuffix(path, authorizePath):
		d.Endpoint = "authorize"
		path = strings.TrimSuffix(path, authorizePath)
	default:
		d.Endpoint = path
		path = ""
	}
	d.BaseURL = u.Scheme + "://" + u.Host + path
	// Walk the raw query by hand: url.ParseQuery loses the order of the parameters.
	for part := range strings.SplitSeq(u.RawQuery, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		n, err1 := url.QueryUnescape(name)
		v, err2 := url.QueryUnescape(value)
		if err := errors.Join(err1, err2); err != nil {
			return Decoded{}, fmt.Errorf("%w: query parameter %q is not properly escaped", ErrNotURL, name)
		}
		if n == "params" {
			if !d.HasParams {
				d.Params, d.HasParams = v, true
			}
			d.ParamsCount++
			continue
		}
		d.Query = append(d.Query, Param{Name: n, Value: v})
	}
	return d, nil
}

// Validate validates the basket the URL carries: the params value, which must
// be there exactly once.
func (d Decoded) Validate(opts Options) Result {
	switch {
	case !d.HasParams:
		return Result{Errors: []Error{rootError("the URL has no params query parameter: it carries no basket")}}
	case d.ParamsCount > 1:
		return Result{Errors: []Error{rootError(fmt.Sprintf("params appears %d times in the URL; a broker may read any one of them, so keep one", d.ParamsCount))}}
	}
	return Validate([]byte(d.Params), opts)
}

// CheckBaseURL returns base without a trailing slash when it is an absolute
// http or https URL with no query or fragment, as a Tradejini base URL must be.
func CheckBaseURL(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", fmt.Errorf("base URL %q must be an absolute http(s) URL with no query or fragment, like %s", base, DefaultBaseURL)
	}
	return strings.TrimRight(base, "/"), nil
}

// Get returns the first value of the named query parameter.
func (d Decoded) Get(name string) string {
	for _, p := range d.Query {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// escapePointer escapes one JSON Pointer reference token (RFC 6901).
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
