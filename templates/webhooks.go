package templates

import (
	"strconv"
	"time"

	"basketlink/i18n"
	"basketlink/store"
)

func istTime(t time.Time) string { return i18n.Time(t) }

// deliveryResult is an attempt's result in a few words.
func deliveryResult(a store.WebhookAttempt) string {
	switch {
	case a.Error == "":
		return "delivered (HTTP " + strconv.Itoa(a.HTTPStatus) + ")"
	case a.HTTPStatus != 0:
		return "failed: HTTP " + strconv.Itoa(a.HTTPStatus)
	}
	return "failed: " + a.Error
}
