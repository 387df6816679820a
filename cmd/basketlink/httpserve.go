package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// serveUntilDone serves srv on ln until the command's context ends, then shuts
// down gracefully, giving requests in flight up to grace to finish. name is
// the command, for messages.
func serveUntilDone(env *cmdEnv, name string, srv *http.Server, ln net.Listener, grace time.Duration) int {
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(env.stderr, "basketlink %s: %v\n", name, err)
		return exitUsage
	case <-env.ctx.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		fmt.Fprintf(env.stderr, "basketlink %s: shut down: %v\n", name, err)
		return exitUsage
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(env.stderr, "basketlink %s: %v\n", name, err)
		return exitUsage
	}
	return exitOK
}
