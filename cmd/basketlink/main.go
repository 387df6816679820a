// Command basketlink builds, validates and shares Tradejini order-connect basket links.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// Exit codes, the same for every command.
const (
	exitOK      = 0 // success, or a valid basket
	exitInvalid = 1 // invalid input, or refused by the broker
	exitUsage   = 2 // usage or I/O error
)

const usage = `usage: basketlink <command> [flags]

commands:
  validate     check basket files (JSON arrays of legs)
  link         print the order-connect (or login-only) URL for a basket
  decode       take an order-connect URL apart and validate its basket
  serve        run the web app
  sim          run the Tradejini simulator alone
  token        get an individual access token
  version      print the version, commit and Go version
  healthcheck  exit 0 when a running server's /livez answers
  backup       copy the embedded database, also while serve runs
  webhooks     webhooks listen: receive and verify webhook events (for development)

Run 'basketlink <command> -h' for a command's flags.
`

// run is the whole program; main only calls it, so tests run it in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	env := &cmdEnv{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, now: time.Now}
	switch args[0] {
	case "validate":
		return runValidate(env, args[1:])
	case "link":
		return runLink(env, args[1:])
	case "decode":
		return runDecode(env, args[1:])
	case "serve":
		return runServe(env, args[1:])
	case "sim":
		return runSim(env, args[1:])
	case "token":
		return runToken(env, args[1:])
	case "version":
		return runVersion(env, args[1:])
	case "healthcheck":
		return runHealthcheck(env, args[1:])
	case "backup":
		return runBackup(env, args[1:])
	case "webhooks":
		return runWebhooks(env, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "basketlink: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}

// cmdEnv is what every command runs with.
type cmdEnv struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	now    func() time.Time // the clock; tests that need another call the command's runX directly
}
