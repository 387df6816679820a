package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const defaultHealthURL = "http://127.0.0.1:8080"

// runHealthcheck asks a running serve's /livez, for container health checks:
// exit 0 on 200, else 1 with the reason.
func runHealthcheck(env *cmdEnv, args []string) int {
	fs := newFlagSet("healthcheck", env.stderr)
	base := fs.String("url", defaultHealthURL, "where the server listens, `URL` (its /livez is asked)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: basketlink healthcheck [--url U] [--timeout D]\n\nExits 0 when U/livez answers 200, else 1 and says why.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return usageError(env, fs, "unexpected argument %q", fs.Arg(0))
	}
	u, err := url.Parse(*base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageError(env, fs, "--url %q must be an http(s) URL like %s", *base, defaultHealthURL)
	}
	if *timeout <= 0 {
		return usageError(env, fs, "--timeout must be above 0, not %s", *timeout)
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/livez"
	u.RawQuery, u.Fragment = "", ""

	ctx, cancel := context.WithTimeout(env.ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return usageError(env, fs, "%v", err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		reason := err.Error()
		if errors.Is(err, context.DeadlineExceeded) {
			reason = fmt.Sprintf("no answer within %s", *timeout)
		}
		fmt.Fprintf(env.stderr, "basketlink healthcheck: %s: %s\n", u, reason)
		return exitInvalid
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(env.stderr, "basketlink healthcheck: %s answered %s\n", u, resp.Status)
		return exitInvalid
	}
	fmt.Fprintf(env.stdout, "ok\n")
	return exitOK
}
