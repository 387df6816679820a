package main

import (
	"errors"
	"fmt"
	"time"

	"basketlink/tradejini"
)

func runToken(env *cmdEnv, args []string) int {
	fs := newFlagSet("token", env.stderr)
	baseURL := fs.String("base-url", "", "Tradejini API base URL, e.g. https://api.tradejini.com/v2 (required)")
	apiKey := fs.String("api-key", "", "the individual app's API key (required)")
	password := fs.String("password", "", "the account's password (required)")
	totpSecret := fs.String("totp-secret", "", "base32 TOTP secret; the code is computed now (twoFaTyp totp)")
	otpCode := fs.String("otp", "", "an SMS or e-mail OTP you received (twoFaTyp otp)")
	timeout := fs.Duration("timeout", tradejini.DefaultTimeout, "give up when the broker has not answered after this long")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: basketlink token --base-url B --api-key K --password P (--totp-secret S | --otp CODE)\n\nPrints the access token JSON. A 401 is never retried.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	switch {
	case fs.NArg() > 0:
		return usageError(env, fs, "unexpected argument %q", fs.Arg(0))
	case *baseURL == "":
		return usageError(env, fs, "--base-url is required")
	case *apiKey == "":
		return usageError(env, fs, "--api-key is required")
	case *password == "":
		return usageError(env, fs, "--password is required")
	case (*totpSecret == "") == (*otpCode == ""):
		return usageError(env, fs, "give exactly one of --totp-secret and --otp")
	case *timeout <= 0:
		return usageError(env, fs, "--timeout must be positive")
	}
	twoFa, twoFaTyp := *otpCode, "otp"
	if *totpSecret != "" {
		code, err := tradejini.TOTP(*totpSecret, time.Now())
		if err != nil {
			return usageError(env, fs, "--totp-secret: it must be base32 (A-Z, 2-7)")
		}
		twoFa, twoFaTyp = code, "totp"
	}
	c := &tradejini.Client{BaseURL: *baseURL, Timeout: *timeout}
	tok, err := c.IndividualToken(env.ctx, *apiKey, *password, twoFa, twoFaTyp)
	var refused *tradejini.Error
	switch {
	case errors.As(err, &refused):
		fmt.Fprintf(env.stderr, "basketlink token: %v\n", refused)
		return exitInvalid
	case err != nil:
		fmt.Fprintf(env.stderr, "basketlink token: %v\n", err)
		return exitUsage
	}
	writeJSON(env.stdout, tok)
	return exitOK
}
