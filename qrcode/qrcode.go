// Package qrcode draws QR codes of links, as SVG and PNG, with the quiet
// zone scanners need around them. The encoding is boombuler/barcode's.
package qrcode

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// quiet is the blank border, in modules, that the QR standard asks for.
const quiet = 4

// Code is an encoded QR code: a square of dark and light modules.
type Code struct {
	n    int
	dark []bool
}

// Encode encodes text at error correction level M (about 15% may be lost).
func Encode(text string) (Code, error) {
	bc, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return Code{}, fmt.Errorf("qrcode: %w", err)
	}
	n := bc.Bounds().Dx()
	c := Code{n: n, dark: make([]bool, n*n)}
	for y := range n {
		for x := range n {
			r, _, _, _ := bc.At(x, y).RGBA()
			c.dark[y*n+x] = r < 0x8000
		}
	}
	return c, nil
}

// Size is the side in modules, quiet zone included.
func (c Code) Size() int { return c.n + 2*quiet }

// SVG draws the code as one path, scaling to any size.
func (c Code) SVG() []byte {
	var p strings.Builder
	for y := range c.n {
		for x := range c.n {
			if c.dark[y*c.n+x] {
				fmt.Fprintf(&p, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	s := strconv.Itoa(c.Size())
	return []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + s + ` ` + s + `" width="` + strconv.Itoa(c.Size()*8) +
		`" height="` + strconv.Itoa(c.Size()*8) + `" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="` +
		p.String() + `"/></svg>`)
}

// PNG draws the code with scale pixels per module.
func (c Code) PNG(scale int) ([]byte, error) {
	side := c.Size() * scale
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := range c.n {
		for x := range c.n {
			if !c.dark[y*c.n+x] {
				continue
			}
			for dy := range scale {
				for dx := range scale {
					img.SetGray((x+quiet)*scale+dx, (y+quiet)*scale+dy, color.Gray{})
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("qrcode: png: %w", err)
	}
	return buf.Bytes(), nil
}
