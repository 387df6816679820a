package templates

import (
	"context"
	"io"

	"github.com/a-h/templ"
)

// text is a string as a component: @text(s) writes s escaped, exactly as
// { s } does, but without the copy of s that templ's { s } makes on every
// render (fmt.Sprint): on the ticket list, the review page's hottest part,
// those copies were most of the page's allocations.
type text string

func (s text) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, templ.EscapeString(string(s)))
	return err
}
