package sim

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// individualToken is POST /api-gw/oauth/individual-token-v2: an individual
// app logs in with its key (Authorization: Bearer KEY), password and 2FA.
func (s *Sim) individualToken(w http.ResponseWriter, r *http.Request) {
	const op = "individual-token-v2"
	if !allowMethods(w, r, http.MethodPost) || s.fault(w, r, op) {
		return
	}
	if !parseForm(w, r) {
		s.refuse(w, op, http.StatusBadRequest, msgInvalidInput, "body is not a form")
		return
	}
	f := r.PostForm
	for _, k := range []string{"password", "twoFa", "twoFaTyp"} {
		if f.Get(k) == "" {
			s.refuse(w, op, http.StatusBadRequest, msgInvalidInput, "missing "+k)
			return
		}
	}
	switch {
	case f.Get("twoFaTyp") != "totp" && f.Get("twoFaTyp") != "otp":
		s.refuse(w, op, http.StatusBadRequest, msgInvalidInput, "twoFaTyp is not totp or otp")
	case !s.bearerKey(r.Header.Get("Authorization")):
		s.refuse(w, op, http.StatusUnauthorized, msgUnauthorized, "wrong or missing API key")
	case !s.checkLogin(f.Get("password"), f.Get("twoFa")):
		s.refuse(w, op, http.StatusUnauthorized, msgUnauthorized, "wrong password or 2FA")
	default:
		s.log.Info("token issued", "op", op)
		writeJSON(w, http.StatusOK, newAccessToken())
	}
}

// checkLogin checks the account's password and a TOTP of the current 30-second
// window or either neighbour. The simulator sends no SMS, so an "otp" 2FA is
// checked the same way.
func (s *Sim) checkLogin(password, code string) bool {
	okPassword := subtle.ConstantTimeCompare([]byte(password), []byte(s.cfg.Password)) == 1
	okCode, _ := totp.ValidateCustom(code, s.cfg.TOTPSecret, s.now(), totp.ValidateOpts{
		Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
	return okPassword && okCode
}

// bearerKey reports whether an Authorization header is "Bearer <the API key>";
// the scheme is case-insensitive (RFC 9110), the key is not.
func (s *Sim) bearerKey(header string) bool {
	scheme, key, ok := strings.Cut(header, " ")
	return ok && strings.EqualFold(scheme, "Bearer") && key == s.cfg.ClientID
}
