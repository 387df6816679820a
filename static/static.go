// Package static holds the web app's assets (CSS, JavaScript, vendored htmx),
// embedded so the app works offline.
package static

import "embed"

// FS holds every asset, served under /static/.
//
//go:embed *.css *.js
var FS embed.FS
