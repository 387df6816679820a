// Package browsertest starts a real headless Chromium for tests, driven by chromedp.
//
// A test that calls New is skipped when no Chromium binary is found, unless
// BASKETLINK_REQUIRE_BROWSER=1, which makes a missing browser a failure (CI sets it).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Binary returns the Chromium to use: $BASKETLINK_CHROMIUM, else the first of
// the usual names on PATH, else "".
func Binary() string {
	if p := os.Getenv("BASKETLINK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless Chromium with a fresh profile and returns a chromedp
// context for one tab, closed when the test ends. width and height set the window.
func New(t testing.TB, width, height int) context.Context {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("BASKETLINK_REQUIRE_BROWSER") == "1" {
			t.Fatal("BASKETLINK_REQUIRE_BROWSER=1 but no Chromium found (install Debian's chromium or set BASKETLINK_CHROMIUM)")
		}
		t.Skip("no Chromium found; set BASKETLINK_REQUIRE_BROWSER=1 to make this a failure")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", bin, err)
	}
	return ctx
}

// Screenshot saves a PNG of the whole page as name in $BASKETLINK_SCREENS,
// when that is set: a way to look at what a test saw.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("BASKETLINK_SCREENS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
