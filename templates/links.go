package templates

import "basketlink/store"

// LinksPage is the creator's list of saved links.
type LinksPage struct {
	Rows     []LinkRow
	Search   string
	NextURL  string // the next page, "" at the end
	FirstURL string // back to the first page, "" on it
}

// LinkRow is one link in the list.
type LinkRow struct {
	ID, Label, Created, Status string
	Views, Continues           int64
	Completed, Cancelled       int64
	Failed                     int64 // refused + timeout + error
}

// LinkPage is one link: its tickets, links, counts and outcomes.
type LinkPage struct {
	ID, Label, Created, Status string
	Expires                    string // in IST, "" when never
	MaxUses                    int
	ShortURL, ReviewURL        string
	Tickets                    []Ticket
	Views, Continues           int64
	Completed, Cancelled       int64
	Refused, Timeout, Error    int64
	Outcomes                   []OutcomeRow
	// Deliveries are the webhook attempts of this link's events (nil: no webhooks).
	Deliveries   []store.WebhookAttempt
	Webhooks     bool
	Active       bool
	ConfirmError string // revoke was asked without ticking the box
}

// OutcomeRow is one outcome, its time in IST.
type OutcomeRow struct {
	When, Status, Message string
}
