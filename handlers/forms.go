package handlers

import (
	"errors"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"
)

// parseForm reads a URL-encoded form body of at most max bytes into
// Request.PostForm. Multipart bodies are refused before a byte is read: none
// of the app's forms sends one, and parsing one spools parts to disk.
func parseForm(c echo.Context, max int64) error {
	r := c.Request()
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		return userError(http.StatusUnsupportedMediaType, "this form takes application/x-www-form-urlencoded, not multipart/form-data")
	}
	if r.ContentLength > max {
		return userError(http.StatusRequestEntityTooLarge, "the form is over %d bytes", max)
	}
	r.Body = http.MaxBytesReader(c.Response(), r.Body, max)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return userError(http.StatusRequestEntityTooLarge, "the form is over %d bytes", max)
		}
		return userError(http.StatusBadRequest, "the form could not be read: %v", err)
	}
	return nil
}
