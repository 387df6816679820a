package obs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

// RequestIDHeader carries a request's id, in the request and in its answer.
const RequestIDHeader = "X-Request-ID"

// maxRequestID bounds an id taken from a request.
const maxRequestID = 128

// RequestID is the id a request goes by: the one it came with when that is
// sane (1 to 128 visible ASCII characters, so it cannot break a log line),
// else a new random one.
func RequestID(given string) string {
	if saneID(given) {
		return given
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

func saneID(s string) bool {
	if s == "" || len(s) > maxRequestID {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

type requestIDKey struct{}

// WithRequestID returns ctx carrying the request id; every log line written
// with that context names it.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the request id ctx carries, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
