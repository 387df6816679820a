package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
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
		fmt.Fprintln(env.stderr, "usage: BASKETLINK_WEBHOOK_SECRET=whsec_... basketlink webhooks listen [--secret-file FILE] [--addr 127.0.0.1:9000]")
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
	sec := fs.String("secret", "", "refused: a secret given as a flag shows in the process list; use BASKETLINK_WEBHOOK_SECRET or --secret-file")
	secFile := fs.String("secret-file", "", "read the endpoint's signing secret (`whsec_...`) from this `file` (or env BASKETLINK_WEBHOOK_SECRET, or BASKETLINK_WEBHOOK_SECRET_FILE)")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: BASKETLINK_WEBHOOK_SECRET=whsec_... basketlink webhooks listen [--secret-file FILE] [--addr 127.0.0.1:9000]\n\nReceives basketlink webhook events, checks their signatures and prints one line per event.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return usageError(env, fs, "unexpected argument %q", fs.Arg(0))
	}
	if *sec != "" {
		return usageError(env, fs, "--secret is refused: a secret given as a flag value shows in the process list. "+
			"Set the environment variable BASKETLINK_WEBHOOK_SECRET, or put the secret in a file readable only by you and pass --secret-file FILE (or BASKETLINK_WEBHOOK_SECRET_FILE=FILE)")
	}
	s, err := webhookSecret(env.getenv, *secFile)
	if err != nil {
		return usageError(env, fs, "%v", err)
	}
	key, err := webhook.DecodeSecret(s)
	if err != nil {
		return usageError(env, fs, "the webhook secret: %v", err)
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

// webhookSecret is the endpoint's secret from exactly one of --secret-file,
// BASKETLINK_WEBHOOK_SECRET and BASKETLINK_WEBHOOK_SECRET_FILE, as serve
// reads its own secrets. Errors name files, never contents.
func webhookSecret(getenv func(string) string, file string) (string, error) {
	const env = "BASKETLINK_WEBHOOK_SECRET"
	var sources []string
	value := ""
	if file != "" {
		sources = append(sources, "--secret-file")
	}
	if v := getenv(env); v != "" {
		sources, value = append(sources, env), v
	}
	if f := getenv(env + "_FILE"); f != "" {
		sources, file = append(sources, env+"_FILE"), f
	}
	switch {
	case len(sources) == 0:
		return "", fmt.Errorf("give the endpoint's secret (shown once when the endpoint was made): set %s, or pass --secret-file FILE", env)
	case len(sources) > 1:
		return "", fmt.Errorf("the webhook secret is set %d ways (%s); keep one", len(sources), strings.Join(sources, ", "))
	case value != "":
		return value, nil
	}
	return readSecretFile(sources[0], file)
}
