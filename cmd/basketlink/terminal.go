package main

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Everything the commands print may come from untrusted input: a key, a value
// or a file name with a newline breaks the one-line FILE: POINTER: MESSAGE
// format, and an escape sequence in a pasted URL would reach the terminal.
// Text that holds anything but printable characters is printed quoted, with
// Go escapes (\n, \x1b, \u202e), so what is shown is exactly what was there.

// safeText returns s unchanged when every character in it is printable (or a
// space), else s as a Go-quoted string.
func safeText(s string) string {
	if !utf8.ValidString(s) {
		return strconv.Quote(s)
	}
	for _, r := range s {
		if r != ' ' && !strconv.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// safeJSON escapes, as \uXXXX, every character of encoded JSON that
// encoding/json leaves raw but a terminal may act on (DEL, the C1 controls,
// bidirectional overrides...). Outside strings JSON has only printable
// characters and whitespace, so only string contents change. The final
// newline stays.
func safeJSON(b []byte) []byte {
	clean := true
	for _, r := range string(bytes.TrimSuffix(b, []byte("\n"))) {
		if r != ' ' && !strconv.IsPrint(r) {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	body, nl := bytes.CutSuffix(b, []byte("\n"))
	var out bytes.Buffer
	for _, r := range string(body) {
		if r == ' ' || strconv.IsPrint(r) {
			out.WriteRune(r)
			continue
		}
		if r > 0xFFFF {
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&out, `\u%04x\u%04x`, hi, lo)
			continue
		}
		fmt.Fprintf(&out, `\u%04x`, r)
	}
	if nl {
		out.WriteByte('\n')
	}
	return out.Bytes()
}
