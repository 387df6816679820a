package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"basketlink/obs"
)

// logFlags are --log-format and --log-level, on every command that serves.
type logFlags struct{ format, level string }

func (l *logFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.format, "log-format", "text", "log line format, text or json (env BASKETLINK_LOG_FORMAT)")
	fs.StringVar(&l.level, "log-level", "info", "least important log level written: debug, info, warn or error (env BASKETLINK_LOG_LEVEL)")
}

// applyEnv fills the flags left unset from the environment.
func (l *logFlags) applyEnv(fs *flag.FlagSet, getenv func(string) string) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if v := getenv("BASKETLINK_LOG_FORMAT"); v != "" && !set["log-format"] {
		l.format = v
	}
	if v := getenv("BASKETLINK_LOG_LEVEL"); v != "" && !set["log-level"] {
		l.level = v
	}
}

func (l *logFlags) logger(env *cmdEnv) (*slog.Logger, error) {
	return obs.NewLogger(env.stderr, l.format, l.level)
}

// parseProxies reads --trusted-proxies: CIDR ranges, comma separated (a bare
// address is a range of one).
func parseProxies(s string) ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if ip := net.ParseIP(part); ip != nil {
			bits := 8 * len(ip.To16())
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			nets = append(nets, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q is not a CIDR range like 10.0.0.0/8 or an address", part)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

// startMetrics serves the metrics at /metrics on a listener of their own, so
// they are never public by accident with the app. It returns the address it
// listens on and a stop that shuts it down.
func startMetrics(addr string, m *obs.Metrics, logger *slog.Logger) (net.Addr, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics listener", "err", err)
		}
	}()
	return ln.Addr(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}
