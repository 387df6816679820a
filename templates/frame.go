package templates

import "context"

// Frame is what the frame of a public page shows around the page: who shares
// the basket, the link to this page in the other language, and a notice.
type Frame struct {
	Brand     Brand
	SwitchURL string // this page in the other language
}

// Brand is who shares the baskets of this server (--brand-name, --brand-reg,
// --brand-disclaimer); each part is shown when set.
type Brand struct {
	Name, Reg, Disclaimer string
}

type frameKey struct{}

// WithFrame returns ctx carrying the frame of the page rendered with it.
func WithFrame(ctx context.Context, f Frame) context.Context {
	return context.WithValue(ctx, frameKey{}, f)
}

func frameOf(ctx context.Context) Frame {
	f, _ := ctx.Value(frameKey{}).(Frame)
	return f
}
