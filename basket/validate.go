package basket

// Validate checks a basket (the params JSON) against every leg and basket rule
// and returns all errors at once, or the canonical params when it is valid.
func Validate(data []byte, opts Options) Result {
	return Result{}
}
