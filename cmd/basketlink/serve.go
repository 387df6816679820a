package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"basketlink/basket"
	"basketlink/handlers"
	"basketlink/linkstats"
	"basketlink/obs"
	"basketlink/secret"
	"basketlink/share"
	"basketlink/sim"
	"basketlink/state"
	"basketlink/store"
	"basketlink/templates"
	"basketlink/tradejini"
	"basketlink/webhook"
)

// maxBrokerTimeout keeps a code exchange well inside the server's write timeout,
// so a slow broker still gets its 504 page written.
const maxBrokerTimeout = 25 * time.Second

// simMount is where serve mounts the built-in simulator.
const simMount = "/sim/v2"

// serveConfig is serve's configuration: flags, each also an environment variable.
type serveConfig struct {
	Addr         string
	DataDir      string
	ClientID     string
	ClientSecret string
	BaseURL      string
	PublicURL    string
	SecretKey    string
	AdminToken   string
	DatabaseURL  string
	MaxLegs      int
	CacheSize    int    // saved links the cache is sized for
	Contracts    string // the instrument master's file, or ""
	// Broker is brokerTradejini or brokerSim once resolved; "" picks by the rules.
	Broker string
	// BrokerTimeout bounds one code exchange at the callback.
	BrokerTimeout time.Duration
	// AsOf, when set, is the date every expiry is judged by: the builder,
	// Save, the short links and the simulator (a demo of the documented basket).
	AsOf asOfFlag
	// Brand is who shares, on every public page.
	BrandName, BrandReg, BrandDisclaimer string
	Sim                                  sim.Config

	secretFiles      map[string]*string // --NAME-file of each secret setting
	plainSecretFlags []string           // secrets given as flag values: refused
	// Operations: the metrics listener, the proxies trusted to name the client, the log.
	MetricsAddr    string
	TrustedProxies string
	// TokenPickup keeps completed callbacks' access tokens, sealed, for pickup once.
	TokenPickup bool
	Log         logFlags
	// EmbedOrigins: the sites allowed to embed the button, comma separated.
	EmbedOrigins string
}

// envFlags maps each flag that has an environment variable to it.
var envFlags = map[string]string{
	"client-id":        "TRADEJINI_CLIENT_ID",
	"base-url":         "TRADEJINI_BASE_URL",
	"public-url":       "BASKETLINK_PUBLIC_URL",
	"database-url":     "BASKETLINK_DATABASE_URL",
	"broker":           "BASKETLINK_BROKER",
	"metrics-addr":     "BASKETLINK_METRICS_ADDR",
	"trusted-proxies":  "BASKETLINK_TRUSTED_PROXIES",
	"log-format":       "BASKETLINK_LOG_FORMAT",
	"log-level":        "BASKETLINK_LOG_LEVEL",
	"contracts":        contractsEnv,
	"brand-name":       "BASKETLINK_BRAND_NAME",
	"brand-reg":        "BASKETLINK_BRAND_REG",
	"brand-disclaimer": "BASKETLINK_BRAND_DISCLAIMER",
	"embed-origins":    "BASKETLINK_EMBED_ORIGINS",
	"token-pickup":     "BASKETLINK_TOKEN_PICKUP",
	"cache-size":       "BASKETLINK_CACHE_SIZE",
}

func (c *serveConfig) registerFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "listen address, `host:port`")
	fs.StringVar(&c.DataDir, "data-dir", "./data", "directory of the embedded database")
	fs.StringVar(&c.ClientID, "client-id", "", "Tradejini API key (env TRADEJINI_CLIENT_ID)")
	fs.StringVar(&c.Broker, "broker", "", "`tradejini` or sim (env BASKETLINK_BROKER; default tradejini with a client id, else sim on a loopback address only)")
	fs.StringVar(&c.BaseURL, "base-url", "", "Tradejini base URL (env TRADEJINI_BASE_URL; default "+basket.DefaultBaseURL+", or the simulator's)")
	fs.StringVar(&c.PublicURL, "public-url", "", "the app's public URL (env BASKETLINK_PUBLIC_URL; default http:// + the listen address)")
	fs.StringVar(&c.DatabaseURL, "database-url", "", "postgres:// URL instead of the embedded SQLite (env BASKETLINK_DATABASE_URL)")
	fs.IntVar(&c.MaxLegs, "max-legs", basket.DefaultMaxLegs, "most legs a basket may hold")
	fs.StringVar(&c.Contracts, "contracts", "", contractsUsage)
	fs.IntVar(&c.CacheSize, "cache-size", share.DefaultCacheSize, "how many saved links the in-memory cache is sized for: 256 bytes each, at least 32 MB, outside Go's heap (env BASKETLINK_CACHE_SIZE)")
	fs.DurationVar(&c.BrokerTimeout, "broker-timeout", tradejini.DefaultTimeout, "how long the callback waits for Tradejini to exchange a code")
	fs.Var(&c.AsOf, "as-of", "judge every expiry by this date, `YYYY-MM-DD`, instead of today in Asia/Kolkata: the builder, Save, short links and the simulator (for demos)")
	fs.StringVar(&c.BrandName, "brand-name", "", "who shares the baskets, shown on every public page (env BASKETLINK_BRAND_NAME)")
	fs.StringVar(&c.BrandReg, "brand-reg", "", "the sharer's SEBI registration number, shown on every public page (env BASKETLINK_BRAND_REG)")
	fs.StringVar(&c.BrandDisclaimer, "brand-disclaimer", "", "a disclaimer shown on every public page (env BASKETLINK_BRAND_DISCLAIMER)")
	c.registerSecretFlags(fs)
	fs.StringVar(&c.MetricsAddr, "metrics-addr", "", "serve Prometheus metrics at /metrics on this `host:port`, a listener of their own (env BASKETLINK_METRICS_ADDR; default off)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", "", "proxies whose X-Forwarded-For names the client, `CIDR,...` (env BASKETLINK_TRUSTED_PROXIES; default none: the client is the direct peer)")
	fs.StringVar(&c.EmbedOrigins, "embed-origins", "", "origins of the sites allowed to embed the button, `https://site,...`: the result page tells them the result and sends browsers back to them (env BASKETLINK_EMBED_ORIGINS)")
	fs.BoolVar(&c.TokenPickup, "token-pickup", false, "keep each completed sign-in's access token, sealed, until it expires, for POST /api/v1/outcomes/{id}/token to hand out once (env BASKETLINK_TOKEN_PICKUP=true; default off: no token is ever stored)")
	c.Log.register(fs)
	c.Sim.RegisterFlags(fs)
}

// applyEnv fills every flag left unset from its environment variable: the flag beats the environment.
// Values are never printed: the defaults shown by -h stay empty. Only a
// value that does not parse (BASKETLINK_TOKEN_PICKUP=maybe) is an error.
func (c *serveConfig) applyEnv(fs *flag.FlagSet, getenv func(string) string) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for name, env := range envFlags {
		if set[name] {
			continue
		}
		if v := getenv(env); v != "" {
			if err := fs.Set(name, v); err != nil {
				if b, ok := fs.Lookup(name).Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
					return fmt.Errorf("%s=%q: want true or false", env, v)
				}
				return fmt.Errorf("%s=%q: want a whole number", env, v)
			}
		}
	}
	return nil
}

func (c *serveConfig) check() error {
	if c.MaxLegs < 1 {
		return fmt.Errorf("--max-legs must be at least 1, not %d", c.MaxLegs)
	}
	if c.CacheSize < 1 {
		return fmt.Errorf("--cache-size must be at least 1, not %d", c.CacheSize)
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (!strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https")) || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("--public-url %q must be an absolute http(s) URL with no query, like https://links.example.com", c.PublicURL)
		}
		if u.Path != "" && u.Path != "/" {
			// The callback, the short links and the state cookies live at the root.
			return fmt.Errorf("--public-url %q must have no path: basketlink serves from the root of its host", c.PublicURL)
		}
		c.PublicURL = strings.ToLower(u.Scheme) + "://" + u.Host
	}
	if c.BrokerTimeout <= 0 || c.BrokerTimeout > maxBrokerTimeout {
		return fmt.Errorf("--broker-timeout must be above 0 and at most %s, not %s", maxBrokerTimeout, c.BrokerTimeout)
	}
	switch c.Broker {
	case "", brokerTradejini, brokerSim:
	default:
		return fmt.Errorf("--broker must be tradejini or sim, not %q", c.Broker)
	}
	if c.AdminToken != "" && len([]rune(c.AdminToken)) < minAdminToken {
		return fmt.Errorf("the admin token has %d characters; at least %d are required (make one with: openssl rand -base64 32)", len([]rune(c.AdminToken)), minAdminToken)
	}
	if c.ClientSecret != "" && c.ClientID == "" {
		return errors.New("TRADEJINI_CLIENT_SECRET is set but TRADEJINI_CLIENT_ID is not: set the client id too, or remove the secret")
	}
	if c.ClientID == "" || c.Broker == brokerSim {
		return c.Sim.Check()
	}
	if c.ClientSecret == "" {
		return errors.New("TRADEJINI_CLIENT_ID is set but TRADEJINI_CLIENT_SECRET is not: the callback needs both to exchange codes")
	}
	if c.BaseURL != "" {
		base, err := basket.CheckBaseURL(c.BaseURL)
		if err != nil {
			return err
		}
		if err := checkBrokerURL(base); err != nil {
			return err
		}
		c.BaseURL = base
	}
	return nil
}

// link returns the client the app builds links with: the configured one, or the simulator's.
func (c *serveConfig) link(publicURL string) (baseURL, clientID string) {
	switch {
	case c.Broker == brokerSim:
		return publicURL + simMount, c.Sim.ClientID
	case c.BaseURL == "":
		return basket.DefaultBaseURL, c.ClientID
	}
	return c.BaseURL, c.ClientID
}

func runServe(env *cmdEnv, args []string) int {
	fs := newFlagSet("serve", env.stderr)
	var cfg serveConfig
	cfg.registerFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: basketlink serve [flags]\n\nRuns the web app: the basket builder, the inspector and the JSON API.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return usageError(env, fs, "unexpected argument %q", fs.Arg(0))
	}
	if err := cfg.applyEnv(fs, env.getenv); err != nil {
		return usageError(env, fs, "%v", err)
	}
	if err := cfg.loadSecrets(env.getenv); err != nil {
		return usageError(env, fs, "%v", err)
	}
	if err := cfg.check(); err != nil {
		return usageError(env, fs, "%v", err)
	}
	logger, err := cfg.Log.logger(env)
	if err != nil {
		return usageError(env, fs, "%v", err)
	}
	proxies, err := parseProxies(cfg.TrustedProxies)
	if err != nil {
		return usageError(env, fs, "%v", err)
	}
	embedOrigins, err := parseOrigins(cfg.EmbedOrigins)
	if err != nil {
		return usageError(env, fs, "%v", err)
	}
	master, ok := loadContracts(env, "serve", cfg.Contracts)
	if !ok {
		return exitUsage
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		fmt.Fprintf(env.stderr, "basketlink serve: listen: %v\n", err)
		return exitUsage
	}
	defer ln.Close()
	if err := cfg.resolveBroker(isLoopback(ln.Addr())); err != nil {
		return usageError(env, fs, "%v", err)
	}
	publicURL := strings.TrimRight(cfg.PublicURL, "/")
	if publicURL == "" {
		publicURL = "http://" + ln.Addr().String()
	}
	redirectURI := publicURL + "/callback"
	baseURL, clientID := cfg.link(publicURL)
	// In sim mode the built-in simulator stands in for the broker.
	var simulator http.Handler
	if cfg.Broker == brokerSim {
		cfg.Sim.RedirectURI = redirectURI
		// One date for the whole demo: either flag sets both.
		if cfg.Sim.AsOf.IsZero() {
			cfg.Sim.AsOf = cfg.AsOf.t
		} else if cfg.AsOf.t.IsZero() {
			cfg.AsOf.t = cfg.Sim.AsOf
		}
		s, err := sim.New(cfg.Sim, logger)
		if err != nil {
			return usageError(env, fs, "%v", err)
		}
		simulator = s
	}

	if cfg.AdminToken == "" && !isLoopback(ln.Addr()) {
		return usageError(env, fs, "--addr %s is reachable from other machines, and with no admin token anyone could use the builder and the API: set BASKETLINK_ADMIN_TOKEN (or --admin-token-file), or listen on 127.0.0.1", cfg.Addr)
	}

	db, err := store.Open(env.ctx, cfg.DataDir, cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintf(env.stderr, "basketlink serve: %v\n", err)
		return exitUsage
	}
	defer db.Close()
	key, err := secret.Load(cfg.DataDir, cfg.SecretKey)
	if err != nil {
		fmt.Fprintf(env.stderr, "basketlink serve: %v\n", err)
		return exitUsage
	}
	broker := &tradejini.Client{BaseURL: baseURL, ClientID: clientID, ClientSecret: cfg.ClientSecret, RedirectURI: redirectURI, Timeout: cfg.BrokerTimeout}
	linkBase := ""
	if simulator != nil {
		// The browser reaches the simulator at the public URL; this server
		// reaches it directly, on the address it listens on.
		broker.ClientSecret = cfg.Sim.ClientSecret
		broker.BaseURL = "http://" + dialable(ln.Addr()) + simMount
		linkBase = baseURL
	}
	secure := strings.HasPrefix(publicURL, "https://")
	metrics := obs.NewMetrics(store.StatusOK, store.StatusCancelled, store.StatusRefused, store.StatusTimeout, store.StatusError)
	// The webhook outbox's worker; outcomes recorded here wake it.
	worker := &webhook.Worker{Store: db, Key: key, Logger: logger, Observer: metrics}
	svc := &share.Service{
		Store: webhook.WakeOnOutcome(db, worker), States: &state.Issuer{Key: key, Now: env.now}, Key: key, Broker: broker, LinkBaseURL: linkBase,
		SecureCookies: secure, MaxLegs: cfg.MaxLegs, Logger: logger, Now: env.now, Observer: metrics, AsOf: cfg.AsOf.t,
		Contracts: master, TokenPickup: cfg.TokenPickup, CacheSize: cfg.CacheSize,
	}
	counter := linkstats.New(db, logger)
	background, stopBackground := context.WithCancel(context.WithoutCancel(env.ctx))
	var backgroundDone sync.WaitGroup
	backgroundDone.Add(3)
	go func() { defer backgroundDone.Done(); counter.Run(background, linkstats.DefaultInterval) }()
	go func() { defer backgroundDone.Done(); svc.SweepTokens(background, tokenSweepEvery) }()
	// What other replicas change about a link reaches this one's cache.
	go func() { defer backgroundDone.Done(); svc.WatchChanges(background, share.DefaultChangePoll) }()
	// After the server has stopped: the last counts are written, then the store closes.
	defer func() { stopBackground(); backgroundDone.Wait() }()

	app := handlers.New(handlers.Config{
		Logger:        logger,
		Ready:         db,
		BaseURL:       baseURL,
		ClientID:      clientID,
		RedirectURI:   redirectURI,
		MaxLegs:       cfg.MaxLegs,
		AsOf:          cfg.AsOf.t,
		Brand:         templates.Brand{Name: cfg.BrandName, Reg: cfg.BrandReg, Disclaimer: cfg.BrandDisclaimer},
		Contracts:     master,
		Broker:        cfg.Broker,
		Sim:           simulator,
		Share:         svc,
		Counter:       counter,
		PublicURL:     publicURL,
		AdminToken:    cfg.AdminToken,
		Sessions:      db,
		Key:           key,
		SecureCookies: secure,
		Now:           env.now,

		Metrics:        metrics,
		TrustedProxies: proxies,
		Webhooks:       &webhook.Endpoints{Store: db, Key: key},
		EmbedOrigins:   embedOrigins,
	})
	srv := &http.Server{
		Handler:           app,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	var metricsAt net.Addr
	if cfg.MetricsAddr != "" {
		at, stop, err := startMetrics(cfg.MetricsAddr, metrics, logger)
		if err != nil {
			fmt.Fprintf(env.stderr, "basketlink serve: %v\n", err)
			return exitUsage
		}
		defer stop()
		metricsAt = at
	}
	fmt.Fprintf(env.stdout, "basketlink: serving on http://%s\n", ln.Addr())
	if metricsAt != nil {
		fmt.Fprintf(env.stdout, "basketlink: metrics on http://%s/metrics\n", metricsAt)
		logger.Info("metrics", "addr", metricsAt.String())
	}
	database := "sqlite"
	if cfg.DatabaseURL != "" {
		database = "postgres"
	}
	logger.Info("serving", "addr", ln.Addr().String(), "public_url", publicURL, "base_url", baseURL, "broker", cfg.Broker, "database", database)
	if cfg.DatabaseURL != "" && cfg.SecretKey == "" {
		// A shared database wants a shared key: a callback landing on another
		// server must verify this one's states and open its tokens.
		logger.Warn("the secret key is the one in the data directory; every server on this database needs the same key: set BASKETLINK_SECRET_KEY on all of them", "key_file", filepath.Join(cfg.DataDir, secret.FileName))
	}

	workerCtx, stopWorker := context.WithCancel(context.WithoutCancel(env.ctx))
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); worker.Run(workerCtx) }()
	code := serveUntilDone(env, "serve", srv, ln, shutdownGrace(cfg.BrokerTimeout))
	// Callbacks have finished: stop delivering (an attempt cut short is
	// recorded and retried, by this server's next start or another).
	stopWorker()
	<-workerDone
	if code == exitOK {
		logger.Info("stopped")
	}
	return code
}

// tokenSweepEvery is how often expired sealed tokens are deleted.
const tokenSweepEvery = 10 * time.Minute

// shutdownGrace is how long a stopping server waits for requests in flight:
// longer than a callback may take (the broker timeout plus share.RecordGrace),
// so a callback caught by SIGTERM still records its outcome and answers its page.
func shutdownGrace(brokerTimeout time.Duration) time.Duration {
	return brokerTimeout + share.RecordGrace + 5*time.Second
}

// isLoopback reports whether addr only takes connections from this machine.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// dialable is addr as this machine can connect to it: an unspecified listen
// address (0.0.0.0, ::) becomes the loopback one.
func dialable(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return addr.String()
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
}
