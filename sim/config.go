package sim

import (
	"flag"
	"fmt"
	"strconv"
	"time"

	"basketlink/basket"

	"github.com/pquerna/otp/totp"
)

// Defaults of the registered app and account, as docs/cli.md documents them.
const (
	DefaultClientID     = "SIMKEY"
	DefaultClientSecret = "SIMSECRET"
	DefaultRedirectURI  = "http://127.0.0.1:8080/callback"
	DefaultPassword     = "sim-password"
	DefaultTOTPSecret   = "JBSWY3DPEHPK3PXP"
)

// Auto modes: what order-connect and authorize do instead of showing pages.
const (
	AutoOff     = "off"     // a login page, then a review page
	AutoApprove = "approve" // 302 to redirect_uri with a code at once
	AutoCancel  = "cancel"  // 302 to redirect_uri with error=access_denied at once
)

// Config is the registered app, the account and the faults of a simulator.
type Config struct {
	ClientID     string
	ClientSecret string
	RedirectURI  string
	Password     string
	TOTPSecret   string // base32

	Auto string // AutoOff, AutoApprove or AutoCancel; "" means AutoOff

	// Faults, on /token and /individual-token-v2 only.
	Latency    time.Duration // added before answering
	FailStatus int           // 0: no faults; else answer this status...
	FailRate   float64       // ...to this share of calls, 0 to 1

	// AsOf is the date order-connect compares expiries with; zero means today
	// in Asia/Kolkata.
	AsOf time.Time
	// Now is the clock for codes and TOTP; nil means time.Now. Not a flag.
	Now func() time.Time
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		ClientID:     DefaultClientID,
		ClientSecret: DefaultClientSecret,
		RedirectURI:  DefaultRedirectURI,
		Password:     DefaultPassword,
		TOTPSecret:   DefaultTOTPSecret,
		Auto:         AutoOff,
		FailRate:     1,
	}
}

// RegisterFlags adds every --sim-* flag to fs, with the documented defaults.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	d := DefaultConfig()
	fs.StringVar(&c.ClientID, "sim-client-id", d.ClientID, "simulator: the registered app's API key")
	fs.StringVar(&c.ClientSecret, "sim-client-secret", d.ClientSecret, "simulator: the registered app's secret")
	fs.StringVar(&c.RedirectURI, "sim-redirect-uri", d.RedirectURI, "simulator: the registered redirect URI")
	fs.StringVar(&c.Password, "sim-password", d.Password, "simulator: the account's password")
	fs.StringVar(&c.TOTPSecret, "sim-totp-secret", d.TOTPSecret, "simulator: the account's TOTP secret (base32)")
	c.Auto = d.Auto
	fs.Var(autoFlag{&c.Auto}, "sim-auto", "simulator: `off` (login and review pages), approve or cancel (answer at once)")
	fs.DurationVar(&c.Latency, "sim-latency", 0, "simulator: delay added to /token and /individual-token-v2")
	c.FailStatus = d.FailStatus
	fs.Var(statusFlag{&c.FailStatus}, "sim-fail-status", "simulator: answer /token and /individual-token-v2 with this HTTP `status` (0: never)")
	c.FailRate = d.FailRate
	fs.Var(rateFlag{&c.FailRate}, "sim-fail-rate", "simulator: the share of calls, a `rate` from 0 to 1, that get --sim-fail-status")
	fs.Var(dateFlag{&c.AsOf}, "sim-as-of", "simulator: compare order-connect expiries with this date, `YYYY-MM-DD` (default today in Asia/Kolkata)")
}

// Check reports the first setting that cannot work.
func (c Config) Check() error {
	switch {
	case c.ClientID == "":
		return fmt.Errorf("sim: the client id must not be empty")
	case c.ClientSecret == "":
		return fmt.Errorf("sim: the client secret must not be empty")
	case c.RedirectURI == "":
		return fmt.Errorf("sim: the redirect URI must not be empty")
	case c.Password == "":
		return fmt.Errorf("sim: the password must not be empty")
	case c.Latency < 0:
		return fmt.Errorf("sim: latency %s is negative", c.Latency)
	}
	if err := checkAuto(c.Auto); err != nil {
		return err
	}
	if err := checkStatus(c.FailStatus); err != nil {
		return err
	}
	if err := checkRate(c.FailRate); err != nil {
		return err
	}
	if _, err := totp.GenerateCode(c.TOTPSecret, time.Unix(0, 0)); err != nil || c.TOTPSecret == "" {
		return fmt.Errorf("sim: the TOTP secret must be base32 (A-Z, 2-7)")
	}
	return nil
}

func checkAuto(s string) error {
	switch s {
	case "", AutoOff, AutoApprove, AutoCancel:
		return nil
	}
	return fmt.Errorf("sim: auto mode %q is not off, approve or cancel", s)
}

func checkStatus(n int) error {
	if n != 0 && (n < 300 || n > 599) {
		return fmt.Errorf("sim: fail status %d is not an error status (300 to 599, or 0 for none)", n)
	}
	return nil
}

func checkRate(r float64) error {
	if !(r >= 0 && r <= 1) {
		return fmt.Errorf("sim: fail rate %v is not between 0 and 1", r)
	}
	return nil
}

type autoFlag struct{ p *string }

func (f autoFlag) String() string {
	if f.p == nil {
		return ""
	}
	return *f.p
}
func (f autoFlag) Set(s string) error {
	if err := checkAuto(s); err != nil {
		return err
	}
	*f.p = s
	return nil
}

type statusFlag struct{ p *int }

func (f statusFlag) String() string {
	if f.p == nil {
		return ""
	}
	return strconv.Itoa(*f.p)
}
func (f statusFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%q is not a number", s)
	}
	if err := checkStatus(n); err != nil {
		return err
	}
	*f.p = n
	return nil
}

type rateFlag struct{ p *float64 }

func (f rateFlag) String() string {
	if f.p == nil {
		return ""
	}
	return strconv.FormatFloat(*f.p, 'g', -1, 64)
}
func (f rateFlag) Set(s string) error {
	r, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("%q is not a number", s)
	}
	if err := checkRate(r); err != nil {
		return err
	}
	*f.p = r
	return nil
}

type dateFlag struct{ p *time.Time }

func (f dateFlag) String() string {
	if f.p == nil || f.p.IsZero() {
		return ""
	}
	return f.p.Format(time.DateOnly)
}
func (f dateFlag) Set(s string) error {
	t, err := basket.ParseAsOf(s)
	if err != nil {
		return err
	}
	*f.p = t
	return nil
}
