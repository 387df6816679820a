package tradejini

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Token is the answer of /token and /individual-token-v2. Printing it with
// fmt or slog never shows the access token; encoding/json does.
type Token struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
}

func (t Token) redacted() string {
	if t.AccessToken == "" {
		return "(none)"
	}
	return fmt.Sprintf("[redacted, %d chars]", len(t.AccessToken))
}

func (t Token) String() string {
	return fmt.Sprintf("{access_token:%s token_type:%s expires_in:%d scope:%s}", t.redacted(), t.TokenType, t.ExpiresIn, t.Scope)
}

// GoString keeps %#v from printing the access token.
func (t Token) GoString() string { return "tradejini.Token" + t.String() }

// LogValue keeps slog from printing the access token.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_token", t.redacted()),
		slog.String("token_type", t.TokenType),
		slog.Int("expires_in", t.ExpiresIn),
		slog.String("scope", t.Scope),
	)
}

// TOTP returns the 6-digit authenticator code of a base32 secret at time t,
// as Tradejini expects it (SHA-1, 30-second period).
func TOTP(secret string, t time.Time) (string, error) {
	code, err := totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", fmt.Errorf("TOTP secret: %w", err)
	}
	return code, nil
}
