package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"basketlink/webhook"
)

// maxEventBody bounds what listen reads of one delivery.
const maxEventBody = 1 << 20

// runWebhooks is `basketlink webhooks SUBCOMMAND`.
func runWebhooks(env *cmdEnv, args []string) int {
	if len(args) == 0 || args[0] != "listen" {
		fmt.Fprintln(env.stderr, "usage: basketlink webhooks listen --secret whsec_... [--addr 127.0.0.1:9000]")
		return exitUsage
	}
	return runWebhooksListen(env, args[1:])
}

// runWebhooksListen receives deliveries on a laptop: it verifies each
// signature, prints one line per event and answers 200 (401 when the
// signature does not verify).
func runWebhooksListen(env *cmdEnv, args []string) int {
	fs := newFlagSet("webhooks listen", env.stderr)
	addr := fs.String("addr", "127.0.0.1:9000", "listen address, `host:port`")
	sec := fs.String("secret", "", "the endpoint's signing secret, `whsec_...` (or env BASKETLINK_WEBHOOK_SECRET, or --secret-file)")
	secFile := fs.String("secret-file", "", "read the signing secret from this `file`")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: basketlink webhooks listen --secret whsec_... [--addr 127.0.0.1:9000]\n\nReceives basketlink webhook events, checks their signatures and prints one line per event.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return usageError(env, fs, "unexpected argument %q", fs.Arg(0))
	}
	s := *sec
	if s == "" && *secFile != "" {
		b, err := os.ReadFile(*secFile)
		if err != nil {
			return usageError(env, fs, "--secret-file: %v", err)
		}
		s = strings.TrimSpace(string(b))
	}
	if s == "" {
		s = env.getenv("BASKETLINK_WEBHOOK_SECRET")
	}
	if s == "" {
		return usageError(env, fs, "give the endpoint's secret: --secret whsec_... (shown once when the endpoint was made)")
	}
	key, err := webhook.DecodeSecret(s)
	if err != nil {
		return usageError(env, fs, "--secret: %v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(env.stderr, "basketlink webhooks listen: %v\n", err)
		return exitUsage
	}
	defer ln.Close()
	var mu sync.Mutex // one line at a time
	srv := &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost {
				http.Error(w, "POST events here", http.StatusMethodNotAllowed)
				return
			}
			body, err := io.ReadAll(io.LimitReader(r.Body, maxEventBody))
			if err != nil {
				http.Error(w, "body unreadable", http.StatusBadRequest)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if err := webhook.Verify(key, r.Header, body, env.now()); err != nil {
				fmt.Fprintf(env.stdout, "rejected %s: %v\n", oneLine(r.Header.Get(webhook.HeaderID)), err)
				http.Error(w, "signature does not verify", http.StatusUnauthorized)
				return
			}
			fmt.Fprintln(env.stdout, eventLine(r.Header.Get(webhook.HeaderID), body))
		}),
	}
	fmt.Fprintf(env.stdout, "basketlink: listening for webhooks on http://%s\n", ln.Addr())
	return serveUntilDone(env, "webhooks listen", srv, ln, 5*time.Second)
}

// eventLine is one verified event in one line.
func eventLine(id string, body []byte) string {
	var ev webhook.Event
	if err := json.Unmarshal(body, &ev); err != nil {
		return fmt.Sprintf("%s verified, but the body is not an event: %s", oneLine(id), oneLine(string(body)))
	}
	d := ev.Data
	line := fmt.Sprintf("%s %s basket=%s status=%s outcome=%d id=%s", ev.Timestamp.Format(time.RFC3339), ev.Type, d.BasketID, d.Status, d.OutcomeID, id)
	if d.BrokerStatus != nil {
		line += fmt.Sprintf(" broker_status=%d", *d.BrokerStatus)
	}
	if d.BrokerMessage != "" {
		line += fmt.Sprintf(" broker_message=%q", d.BrokerMessage)
	}
	return oneLine(line)
}

// oneLine keeps a received value from breaking the output's lines.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
