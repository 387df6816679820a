package templates

import (
	"context"
	"html"
	"net/url"

	"basketlink/i18n"
)

// Review is the public review page of a saved basket.
type Review struct {
	ID, Label string
	Tickets   []Ticket
	Valid     bool
	GoURL     string // /b/{id}/go
	Created   string // when it was saved, in IST
}

// CallbackView is the page the callback ends on. Its words are catalog keys:
// ReasonKey says what happened (with Detail, the broker's own message, when
// the key takes one), NextKey what to do now.
type CallbackView struct {
	Status    int
	Kind      string // ok, cancelled, refused, timeout, error, bad_state
	ReasonKey string
	Detail    string
	NextKey   string
	Label     string
	When      string // when the outcome was recorded, in IST
	Tickets   []Ticket
	ReviewURL string // the basket's review page, to try again
	// Embed, when set, tells the site that embedded the button how it ended.
	Embed *EmbedResult
}

// EmbedResult is what a result page tells the site that embedded the
// button: a message to its window (Origin) and a link back (BackURL).
type EmbedResult struct {
	Origin  string // the opener's allowed origin; "" for none
	Basket  string
	Status  string // completed, cancelled or failed
	Outcome int64
	BackURL string // return_to with the status added; "" for none
	Site    string // BackURL's host, to name it
}

// ProblemView is a public error page. TitleKey and BodyKey are catalog keys
// (TitleKey may take the status); Text is a message from the code that has
// no catalog entry, Lines the details under it, AfterKey what to do.
type ProblemView struct {
	Status                      int
	TitleKey, BodyKey, AfterKey string
	Text                        string
	Lines                       []string
}

// Login is the creator login page.
type Login struct {
	Next  string
	Error string
}

// Shared is what "Save and share" shows: the links to send, and the share
// kit (WhatsApp, the share sheet, the QR code, the embed snippet).
type Shared struct {
	ID, ShortURL, ReviewURL string
	PublicURL               string
	Label                   string
	Summary                 string // the orders in one line
}

// Text is the message shared with the link: the label and the orders.
func (s Shared) Text() string {
	t := s.Summary
	if s.Label != "" {
		t = s.Label + ": " + t
	}
	return t
}

// WhatsAppURL opens WhatsApp with the message and the review link.
func (s Shared) WhatsAppURL() string {
	return "https://wa.me/?text=" + url.QueryEscape(s.Text()+"\n"+s.ReviewURL)
}

// EmbedSnippet is the HTML a fintech site pastes to embed the button.
func (s Shared) EmbedSnippet() string {
	return `<a href="` + html.EscapeString(s.ReviewURL) + `" data-basketlink>Trade this basket</a>` + "\n" +
		`<script src="` + html.EscapeString(s.PublicURL) + `/embed.js" defer></script>`
}

func reviewTitle(ctx context.Context, v Review) string {
	if v.Label != "" {
		return v.Label
	}
	return i18n.T(ctx, "review.title")
}

func (v CallbackView) titleKey() string {
	switch v.Kind {
	case "ok", "cancelled", "refused", "timeout":
		return "result." + v.Kind + ".title"
	case "bad_state":
		return "result.bad.title"
	}
	return "result.error.title"
}

// siteName is the name in the header of a public page: the brand's, else basketlink.
func siteName(ctx context.Context) string {
	if n := frameOf(ctx).Brand.Name; n != "" {
		return n
	}
	return "basketlink"
}
