// Package handlers is basketlink's web app: the pages and the JSON API, on Echo.
package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"basketlink/basket"
	"basketlink/contracts"
	"basketlink/linkstats"
	"basketlink/secret"
	"basketlink/share"
	"basketlink/templates"
	"basketlink/webhook"
)

// Pinger is what /readyz asks; the database satisfies it.
type Pinger interface {
	Ping(context.Context) error
}

// Config is everything the app is built from.
type Config struct {
	Logger *slog.Logger // nil: discard
	Ready  Pinger       // nil: always ready

	// Link settings for the URLs the app builds.
	BaseURL     string // Tradejini base URL (or the simulator's)
	ClientID    string
	RedirectURI string

	MaxLegs int // 0: basket.DefaultMaxLegs
	// AsOf is the date expiries are checked against when a request gives
	// none (serve --as-of); zero means today in Asia/Kolkata.
	AsOf time.Time
	// Contracts, when set, is the instrument master: the contract rules apply,
	// the builder offers listed symbols, expiries and strikes, and presets know lot sizes.
	Contracts *contracts.Master

	// Broker is the broker mode, BrokerTradejini or BrokerSim: in sim mode
	// every public page says that no real order is placed.
	Broker string
	// Sim, when set, is mounted under /sim/v2.
	Sim http.Handler

	// Webhooks manages the webhook endpoints (nil: no webhook routes).
	Webhooks *webhook.Endpoints
	// EmbedOrigins are the origins of sites allowed to embed the button: the
	// result page posts to them and sends browsers back to them.
	EmbedOrigins []string

	// Share runs saved baskets, short links and the callback.
	Share *share.Service
	// Counter gathers views and continues (nil: they are not counted).
	Counter *linkstats.Counter
	// PublicURL is where users reach the app (short and review links use it).
	PublicURL string
	// AdminToken, when set, guards the creator routes; Sessions (required
	// with it) keeps the signed-in creators; Key identifies the token in them.
	AdminToken string
	Sessions   Sessions
	Key        secret.Key
	// SecureCookies marks cookies Secure (the public URL is https).
	SecureCookies bool
	// Brand is who shares the baskets, shown on every public page when set.
	Brand templates.Brand
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// Metrics counts every answered request (nil: nobody).
	Metrics RequestObserver
	// TrustedProxies are the proxies whose X-Forwarded-For names the client;
	// with none, the client is the direct peer and the header is ignored.
	TrustedProxies []*net.IPNet
}

// RequestObserver is told of every answered request, by route pattern.
type RequestObserver interface {
	Request(route string, code int, d time.Duration)
}

// New builds the whole app from cfg.
func New(cfg Config) *echo.Echo {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	// The client address is the connection's peer unless --trusted-proxies names
	// the proxies whose X-Forwarded-For may say who the client is (the
	// failed-login limit counts by this address).
	e.IPExtractor = clientIP(cfg.TrustedProxies)
	a := &app{cfg: cfg, log: cfg.Logger, limiter: &authLimiter{}}
	if u, err := url.Parse(cfg.PublicURL); err == nil {
		a.publicHost = strings.ToLower(u.Hostname())
	}
	a.routes(e)
	return e
}

// clientIP decides who c.RealIP() names: the direct peer, unless the peer is
// one of the trusted proxies, whose X-Forwarded-For then names the client.
func clientIP(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	// Only the listed ranges: not Echo's default trust of loopback and private networks.
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// app is what every handler closes over.
type app struct {
	cfg        Config
	log        *slog.Logger
	limiter    *authLimiter // failed creator authentications by address
	publicHost string       // the public URL's host name, lower case ("" when none): see checkHost
}

// Broker modes, for Config.Broker.
const (
	BrokerTradejini = "tradejini"
	BrokerSim       = "sim"
)

func (a *app) now() time.Time {
	if a.cfg.Now != nil {
		return a.cfg.Now()
	}
	return time.Now()
}

func (a *app) maxLegs() int {
	if a.cfg.MaxLegs < 1 {
		return basket.DefaultMaxLegs
	}
	return a.cfg.MaxLegs
}

// link is the client the app builds URLs with, for one state.
func (a *app) link(state string) basket.Link {
	return basket.Link{BaseURL: a.cfg.BaseURL, ClientID: a.cfg.ClientID, RedirectURI: a.cfg.RedirectURI, State: state}
}

// randomState returns 128 random bits, hex: the state of a link built without one.
func randomState() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
