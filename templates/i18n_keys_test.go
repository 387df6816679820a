package templates

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"basketlink/i18n"
)

// TestEveryPublicMessageIsTranslated fails on a catalog key that the pages or
// the handlers use but that is missing in English or in Hindi (a missing key
// would show as the key itself). It reads the sources: every string literal
// that looks like a key of the catalogs' sections.
func TestEveryPublicMessageIsTranslated(t *testing.T) {
	key := regexp.MustCompile(`"((?:layout|review|ticket|result|problem)\.[a-z0-9_.]+[a-z0-9_])"`)
	var files []string
	for _, glob := range []string{"*.templ", "*.go", "../handlers/*.go"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	seen := 0
	for _, f := range files {
		if filepath.Ext(f) == ".go" && (regexp.MustCompile(`_(test|templ)\.go$`).MatchString(f)) {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			seen++
			if !i18n.Has(m[1]) {
				t.Errorf("%s uses %q, which is not in every language's catalog", f, m[1])
			}
		}
	}
	if seen < 30 {
		t.Fatalf("found only %d message keys in the sources: is the pattern still right?", seen)
	}
	// Keys built from values: the result titles and the ticket's words.
	for _, kind := range []string{"ok", "cancelled", "refused", "timeout", "error", "bad_state", "anything else"} {
		if k := (CallbackView{Kind: kind}).titleKey(); !i18n.Has(k) {
			t.Errorf("result kind %q has title key %q, missing from a catalog", kind, k)
		}
	}
	for _, tk := range []Ticket{
		{Side: "buy", Type: "limit", Validity: "day", Product: "intraday", Inst: "EQT"},
		{Side: "sell", Type: "market", Validity: "ioc", Product: "delivery", Inst: "EQT"},
		{Side: "sell", Type: "market", Validity: "ioc", Product: "delivery", Inst: "OPTIDX"},
	} {
		for _, l := range i18n.Langs() {
			for name, got := range map[string]string{"type": tk.typeText(wordsIn(l)), "validity": tk.validityText(wordsIn(l)), "product": tk.productText(wordsIn(l))} {
				if got == tk.Type || got == tk.Validity || got == tk.Product {
					t.Errorf("%s: the %s of %+v is shown as its API value %q", l, name, tk, got)
				}
			}
			if !i18n.Has(tk.sideKey()) {
				t.Errorf("side %q has no words", tk.Side)
			}
		}
	}
}
