package main

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCLIText runs validate, link and decode, in text and JSON, on any input:
// no control character, other than the newline that ends a line, and no
// unprintable character is ever printed raw.
func FuzzCLIText(f *testing.F) {
	doc, err := os.ReadFile("../../basket/testdata/documented.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(doc))
	f.Add(`[{"inst":"EQT","sym\nbol":"A\u001b[2J","":1,"qty":"\u009b31m"}]`)
	f.Add("https://api.tradejini.com/v2/api-gw/oauth/order-connect?client_id=K%0A&state=%1B%5B2J&params=" +
		`%5B%7B%22inst%22%3A%22EQT%22%2C%22%E2%80%AE%22%3A1%7D%5D`)
	f.Add("https://x.example/\u202e/api-gw/oauth/authorize?a\x7f=b")
	f.Fuzz(func(t *testing.T, input string) {
		runs := [][]string{
			{"validate", "-"},
			{"validate", "--json", "-"},
			{"link", "--client-id", "K", "--redirect-uri", "https://a.example/callback", "--state", "s", "--as-of", "2022-11-20", "-"},
			{"decode", "--as-of", "2022-11-20", "--", input},
			{"decode", "--json", "--as-of", "2022-11-20", "--", input},
			{"decode", "--as-of", "2022-11-20", "-"},
		}
		for _, args := range runs {
			var out, errOut bytes.Buffer
			run(context.Background(), args, strings.NewReader(input), &out, &errOut, func(string) string { return "" })
			for name, text := range map[string]string{"stdout": out.String(), "stderr": errOut.String()} {
				if i := rawControl(text); i >= 0 {
					r, _ := utf8.DecodeRuneInString(text[i:])
					t.Fatalf("%v printed %U raw on %s at byte %d: %s", args[:1], r, name, i, strconv.Quote(text))
				}
			}
		}
	})
}

// rawControl returns the byte offset of the first character that a terminal
// could act on (anything unprintable but a space or a newline), or -1.
func rawControl(s string) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (r != '\n' && r != ' ' && !strconv.IsPrint(r)) {
			return i
		}
		i += size
	}
	return -1
}

// TestCLIEscapesControlCharacters: a newline in a key keeps validate's error
// on one line, and an escape sequence in a pasted URL never reaches the
// terminal through decode.
func TestCLIEscapesControlCharacters(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"validate", "-"}, strings.NewReader(`[{"inst":"EQT","a\nb":1}]`), &out, &errOut, func(string) string { return "" })
	if code != exitInvalid || !strings.Contains(out.String(), `-: "/0/a\nb": "a\nb" is not a leg field`) {
		t.Fatalf("validate: exit %d:\n%s", code, out.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if strings.Count(line, ": ") < 2 {
			t.Fatalf("a line lost the FILE: POINTER: MESSAGE shape: %q", line)
		}
	}
	out.Reset()
	u := "https://api.tradejini.com/v2/api-gw/oauth/order-connect?client_id=K&state=%1B%5D0%3Bpwned%07&params=%5B%5D"
	run(context.Background(), []string{"decode", u}, strings.NewReader(""), &out, &errOut, func(string) string { return "" })
	if strings.ContainsAny(out.String(), "\x1b\x07") || !strings.Contains(out.String(), `"\x1b]0;pwned\a"`) {
		t.Fatalf("decode printed the escape sequence raw or lost it:\n%q", out.String())
	}
	out.Reset()
	run(context.Background(), []string{"decode", "--json", u}, strings.NewReader(""), &out, &errOut, func(string) string { return "" })
	if rawControl(out.String()) >= 0 || !strings.Contains(out.String(), `\u001b]0;pwned\u0007`) {
		t.Fatalf("decode --json:\n%q", out.String())
	}
	if got := string(safeJSON([]byte("{\"a\":\"x\u009by\u202e\"}\n"))); got != "{\"a\":\"x\\u009by\\u202e\"}\n" {
		t.Fatalf("safeJSON: %q", got)
	}
}
