package webhook

import (
	"encoding/json"
	"time"

	"basketlink/store"
)

// Event is the body of every delivery.
type Event struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      EventData `json:"data"`
}

// EventData tells which outcome of which basket.
type EventData struct {
	BasketID      string `json:"basket_id"`
	Label         string `json:"label"`
	OutcomeID     int64  `json:"outcome_id"`
	Status        string `json:"status"`
	BrokerStatus  *int   `json:"broker_status"`
	BrokerMessage string `json:"broker_message"`
}

// OutcomeStatus is the word for an outcome's status that users read
// ("completed" where the store says "ok").
func OutcomeStatus(status string) string {
	if status == store.StatusOK {
		return "completed"
	}
	return status
}

// Body is the JSON body of a claimed event: the same bytes on every attempt,
// since outcomes and baskets never change.
func Body(ev store.WebhookEvent) ([]byte, error) {
	d := EventData{
		BasketID:      ev.Outcome.BasketID,
		Label:         ev.Label,
		OutcomeID:     ev.Outcome.ID,
		Status:        OutcomeStatus(ev.Outcome.Status),
		BrokerMessage: ev.Outcome.Message,
	}
	if ev.Outcome.HTTPStatus != 0 {
		s := ev.Outcome.HTTPStatus
		d.BrokerStatus = &s
	}
	return json.Marshal(Event{Type: ev.Type, Timestamp: ev.Outcome.CreatedAt.UTC(), Data: d})
}
