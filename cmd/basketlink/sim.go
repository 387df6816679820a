package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"basketlink/sim"
)

// defaultSimAddr is where `basketlink sim` listens unless --addr says otherwise.
const defaultSimAddr = "127.0.0.1:9090"

// simPrefix mirrors the real base URL, https://api.tradejini.com/v2.
const simPrefix = "/v2"

func runSim(env *cmdEnv, args []string) int {
	fs := newFlagSet("sim", env.stderr)
	addr := fs.String("addr", defaultSimAddr, "listen address, `host:port`")
	cfg := sim.DefaultConfig()
	cfg.RegisterFlags(fs)
	var lf logFlags
	lf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: basketlink sim [--addr A] [--sim-* flags]\n\nRuns the Tradejini simulator alone; its base URL is http://A/v2.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return usageError(env, fs, "unexpected argument %q", fs.Arg(0))
	}
	lf.applyEnv(fs, env.getenv)
	logger, err := lf.logger(env)
	if err != nil {
		return usageError(env, fs, "%v", err)
	}
	s, err := sim.New(cfg, logger)
	if err != nil {
		return usageError(env, fs, "%v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(env.stderr, "basketlink sim: %v\n", err)
		return exitUsage
	}
	mux := http.NewServeMux()
	mux.Handle(simPrefix+"/", http.StripPrefix(simPrefix, s))
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	base := "http://" + ln.Addr().String() + simPrefix
	fmt.Fprintln(env.stdout, base)
	logger.Info("simulator listening", "base_url", base, "auto", cfg.Auto, "redirect_uri", cfg.RedirectURI)

	code := serveUntilDone(env, "sim", srv, ln, 5*time.Second)
	if code == exitOK {
		logger.Info("simulator stopped")
	}
	return code
}
