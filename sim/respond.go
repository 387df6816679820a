package sim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// The broker's documented messages.
const (
	msgInvalidInput = "Input validation failed. Kindly check your input contains required fields for the request"
	msgInternal     = "Internal Error occurred. Kindly try again."
	msgUnauthorized = "Unauthorized"
	msgRateLimited  = "Too many requests. Kindly try after some time."
)

// statusMsg is the msg the simulator gives for an error status.
func statusMsg(status int) string {
	switch status {
	case http.StatusBadRequest:
		return msgInvalidInput
	case http.StatusUnauthorized:
		return msgUnauthorized
	case http.StatusTooManyRequests:
		return msgRateLimited
	case http.StatusInternalServerError:
		return msgInternal
	}
	if t := http.StatusText(status); t != "" {
		return t
	}
	return "Error"
}

// errorBody is the broker's error shape, keys in its order.
type errorBody struct {
	S   string `json:"s"`
	Msg string `json:"msg"`
}

// writeError writes the broker's error body, {"s":"error","msg":...}.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{S: "error", Msg: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// redirectTo sends the browser to the registered redirect URI with extra
// query parameters (code or error, then state), keeping any query it has.
func (s *Sim) redirectTo(w http.ResponseWriter, extra url.Values) {
	u := s.cfg.RedirectURI
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	var q strings.Builder
	for _, k := range []string{"code", "error", "state"} {
		if vs, ok := extra[k]; ok {
			q.WriteString(sep + k + "=" + url.QueryEscape(vs[0]))
			sep = "&"
		}
	}
	w.Header().Set("Location", u+q.String())
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusFound)
}

// redirectLocal sends the browser to another page of the simulator. The
// Location is relative, so it works wherever the simulator is mounted
// (http.Redirect would resolve it against the prefix-stripped path).
func redirectLocal(w http.ResponseWriter, status int, page, id string) {
	w.Header().Set("Location", page+"?req="+url.QueryEscape(id))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
}

// allowMethods answers 405 unless r uses one of methods.
func allowMethods(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeError(w, http.StatusMethodNotAllowed, "Method not allowed")
	return false
}
