package templates

import "basketlink/static"

// Asset is the path of a static file under its content-hashed name
// (/static/app.3f2a1c9e.css), which browsers may cache for a year: every page
// links its assets through it.
func Asset(name string) string { return "/static/" + static.App().Name(name) }
