package main

import (
	"crypto/rand"
	"fmt"

	"basketlink/basket"
)

func runLink(env *cmdEnv, args []string) int {
	fs := newFlagSet("link", env.stderr)
	clientID := fs.String("client-id", "", "the registered app's API key (required)")
	redirectURI := fs.String("redirect-uri", "", "the registered app's redirect URL (required)")
	state := fs.String("state", "", "the OAuth state echoed back to the redirect URI (default: random)")
	baseURL := fs.String("base-url", basket.DefaultBaseURL, "Tradejini API base URL")
	var asOf asOfFlag
	fs.Var(&asOf, "as-of", "compare expiries with this date, `YYYY-MM-DD` (default today in Asia/Kolkata)")
	loginOnly := fs.Bool("login-only", false, "print the login-only (authorize) URL; FILE is then optional")
	maxLegs := fs.Int("max-legs", basket.DefaultMaxLegs, "most legs a basket may hold")
	master := contractsFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: basketlink link --client-id ID --redirect-uri URL [--state S] [--base-url B] [--as-of D] [--contracts FILE] [--login-only] FILE")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	switch {
	case *clientID == "":
		return usageError(env, fs, "--client-id is required")
	case *redirectURI == "":
		return usageError(env, fs, "--redirect-uri is required")
	case len(files) > 1:
		return usageError(env, fs, "name one FILE, not %d", len(files))
	case len(files) == 0 && !*loginOnly:
		return usageError(env, fs, "name the basket FILE (- for stdin)")
	}
	base, err := basket.CheckBaseURL(*baseURL)
	if err != nil {
		return usageError(env, fs, "--base-url: %v", err)
	}
	*baseURL = base
	if *state == "" {
		*state = rand.Text()
	}
	l := basket.Link{BaseURL: *baseURL, ClientID: *clientID, RedirectURI: *redirectURI, State: *state}
	if *loginOnly && len(files) == 0 {
		fmt.Fprintln(env.stdout, safeText(basket.LoginURL(l)))
		return exitOK
	}
	data, err := readInput(env, files[0])
	if err != nil {
		fmt.Fprintf(env.stderr, "%s: %s\n", safeText(files[0]), safeText(err.Error()))
		return exitUsage
	}
	m, ok := loadContracts(env, "link", *master)
	if !ok {
		return exitUsage
	}
	res := basket.Validate(data, basket.Options{AsOf: asOf.t, MaxLegs: *maxLegs, Contracts: m})
	if !res.Valid {
		for _, e := range res.Errors {
			fmt.Fprintf(env.stderr, "%s: %s: %s\n", safeText(files[0]), safeText(e.Pointer), safeText(e.Message))
		}
		return exitInvalid
	}
	if *loginOnly {
		fmt.Fprintln(env.stdout, safeText(basket.LoginURL(l)))
		return exitOK
	}
	u, err := basket.OrderConnectURL(l, res.Params)
	if err != nil {
		fmt.Fprintf(env.stderr, "%s: : %s\n", safeText(files[0]), safeText(err.Error())) // the root pointer is ""
		return exitInvalid
	}
	fmt.Fprintln(env.stdout, safeText(u))
	return exitOK
}
