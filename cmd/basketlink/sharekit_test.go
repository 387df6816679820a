package main

import (
	"bytes"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// TestShareKit: the QR codes read back (by an independent decoder) as the
// review link, the review page carries the preview card, and the builder's
// share box offers WhatsApp, the share sheet, the QR code and the snippet.
func TestShareKit(t *testing.T) {
	srv := startServe(t, nil, "--sim-auto", "approve")
	b := newBrowser(t, nil)
	c := createBasket(t, b, srv.URL, liveBasket(t), "Nifty & hedge")

	for _, path := range []string{"/qr.svg", "/qr.png"} {
		resp, err := http.Get(c.ReviewURL + path)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "max-age") {
			t.Fatalf("%s: %d, Cache-Control %q", path, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		switch path {
		case "/qr.svg":
			if resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(body.String(), "<svg") {
				t.Fatalf("qr.svg: %s %.80s", resp.Header.Get("Content-Type"), body.String())
			}
		case "/qr.png":
			img, err := png.Decode(&body)
			if err != nil {
				t.Fatal(err)
			}
			bmp, err := gozxing.NewBinaryBitmapFromImage(img)
			if err != nil {
				t.Fatal(err)
			}
			res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
			if err != nil {
				t.Fatalf("the PNG does not decode as a QR code: %v", err)
			}
			if res.GetText() != c.ReviewURL {
				t.Fatalf("the QR code reads %q, want %q", res.GetText(), c.ReviewURL)
			}
		}
	}
	if status, _, _ := b.get(srv.URL + "/b/AAAAAAAAAAAAAAAA/qr.svg"); status != http.StatusNotFound {
		t.Fatalf("QR of an unknown basket: %d", status)
	}

	status, _, page := b.get(c.ReviewURL)
	if status != 200 {
		t.Fatalf("review: %d", status)
	}
	for _, want := range []string{
		`<meta property="og:title" content="Nifty &amp; hedge">`,
		`<meta property="og:url" content="` + c.ReviewURL + `">`,
		`<meta property="og:description" content="BUY `,
	} {
		if !strings.Contains(page, want) {
			t.Fatalf("review page lacks %s:\n%.1500s", want, page)
		}
	}

	form := "label=Weekly+hedge&legs.0.inst=EQT&legs.0.exch=NSE&legs.0.symbol=RELIANCE&legs.0.series=EQ&legs.0.qty=3&legs.0.side=buy&legs.0.type=market&legs.0.product=delivery&legs.0.limitPrice=0&legs.0.validity=day"
	status, _, box := b.do(http.MethodPost, srv.URL+"/save", "application/x-www-form-urlencoded", form, "Origin", srv.URL)
	if status != 200 || !strings.Contains(box, `id="share-whatsapp"`) {
		t.Fatalf("save: %d %.3000s", status, box)
	}
	i := strings.Index(box, `id="share-whatsapp" href="`)
	wa := html.UnescapeString(strings.SplitN(box[i+len(`id="share-whatsapp" href="`):], `"`, 2)[0])
	u, err := url.Parse(wa)
	if err != nil || u.Host != "wa.me" {
		t.Fatalf("WhatsApp link %q", wa)
	}
	text := u.Query().Get("text")
	if !strings.HasPrefix(text, "Weekly hedge: BUY 3 RELIANCE EQ") || !strings.Contains(text, srv.URL+"/b/") {
		t.Fatalf("WhatsApp text %q", text)
	}
	for _, want := range []string{`id="share-native"`, `/qr.svg"`, `/qr.png"`, `data-basketlink&gt;Trade this basket&lt;/a&gt;`, srv.URL + `/embed.js`} {
		if !strings.Contains(box, want) {
			t.Fatalf("share box lacks %s", want)
		}
	}

	// The embed script: public, cacheable JavaScript.
	resp, err := http.Get(srv.URL + "/embed.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") || !strings.Contains(resp.Header.Get("Cache-Control"), "public") {
		t.Fatalf("embed.js: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
	}
}
