package sim_test

import (
	"flag"
	"io"
	"testing"
	"time"

	"basketlink/sim"
)

func TestRegisterFlags(t *testing.T) {
	var cfg sim.Config
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	want := sim.DefaultConfig()
	if cfg.ClientID != "SIMKEY" || cfg.ClientSecret != "SIMSECRET" || cfg.Password != "sim-password" ||
		cfg.TOTPSecret != "JBSWY3DPEHPK3PXP" || cfg.RedirectURI != "http://127.0.0.1:8080/callback" ||
		cfg.Auto != "off" || cfg.Latency != 0 || cfg.FailStatus != 0 || cfg.FailRate != want.FailRate || !cfg.AsOf.IsZero() {
		t.Fatalf("defaults %+v", cfg)
	}
	if err := fs.Parse([]string{"--sim-auto", "approve", "--sim-latency", "250ms", "--sim-fail-status", "429",
		"--sim-fail-rate", "0.25", "--sim-client-id", "K", "--sim-as-of", "2022-11-21"}); err != nil {
		t.Fatal(err)
	}
	if cfg.Auto != "approve" || cfg.Latency != 250*time.Millisecond || cfg.FailStatus != 429 || cfg.FailRate != 0.25 ||
		cfg.ClientID != "K" || cfg.AsOf.Format(time.DateOnly) != "2022-11-21" {
		t.Fatalf("parsed %+v", cfg)
	}
	for _, bad := range [][]string{
		{"--sim-auto", "yes"}, {"--sim-fail-status", "200"}, {"--sim-fail-status", "x"},
		{"--sim-fail-rate", "2"}, {"--sim-fail-rate", "-0.1"}, {"--sim-as-of", "2022-02-30"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var c sim.Config
		c.RegisterFlags(fs)
		if err := fs.Parse(bad); err == nil {
			t.Errorf("%v parsed without error", bad)
		}
	}
}
