package tradejini

import (
	"errors"
	"fmt"
	"net/http"
)

// ErrTimeout marks a call that got no answer in time; test with errors.Is.
// The broker may or may not have acted on the request.
var ErrTimeout = errors.New("timed out")

// Error is an answer other than 200 from the broker. It never holds the
// client secret, the code or a password: only the status and the broker's msg.
type Error struct {
	Op     string // what was attempted: "exchange code", "individual token"
	Status int    // the HTTP status
	Msg    string // the broker's msg, "" when the body had none
}

func (e *Error) Error() string {
	msg := e.Msg
	if msg == "" {
		msg = "no message"
	}
	return fmt.Sprintf("tradejini: %s: broker answered %d %s: %s", e.Op, e.Status, http.StatusText(e.Status), msg)
}

// Unauthorized reports whether the broker refused the credentials or the code
// (401). Such a call must not be retried.
func (e *Error) Unauthorized() bool { return e.Status == http.StatusUnauthorized }
