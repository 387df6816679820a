package main

import (
	"fmt"
	"net/url"
	"strings"
)

// parseOrigins reads --embed-origins: comma-separated origins
// (scheme://host[:port]) of the sites allowed to embed the button.
func parseOrigins(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		u, err := url.Parse(f)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("--embed-origins: %q is not an origin like https://fintech.example (scheme, host and optional port, nothing more)", f)
		}
		out = append(out, strings.ToLower(u.Scheme+"://"+u.Host))
	}
	return out, nil
}
