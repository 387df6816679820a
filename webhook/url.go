package webhook

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CheckURL refuses an endpoint URL that is not https, or http to a loopback
// address (for a receiver on the same machine, such as webhooks listen).
func CheckURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("url %q is not an absolute URL like https://example.com/hooks/basketlink", raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("url must not carry a user name or password")
	}
	if u.Fragment != "" {
		return "", fmt.Errorf("url must not have a #fragment")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !loopbackHost(u.Hostname()) {
			return "", fmt.Errorf("url must be https; http is allowed only to a loopback address (127.0.0.1, ::1, localhost), not %s", u.Hostname())
		}
	default:
		return "", fmt.Errorf("url must be https (or http to a loopback address), not %q", u.Scheme)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return u.String(), nil
}

func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
