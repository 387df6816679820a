package i18n

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Every public message exists in both languages, is not empty, and has the
// same placeholders in each (a missing %s would drop a broker's message).
func TestCatalogsComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[sdvq%]`)
	for _, pair := range [][2]Lang{{EN, HI}, {HI, EN}} {
		for _, k := range Keys(pair[0]) {
			other, ok := catalogs[pair[1]][k]
			if !ok {
				t.Errorf("%q is in %s but missing in %s", k, pair[0], pair[1])
				continue
			}
			if strings.TrimSpace(other) == "" {
				t.Errorf("%q is empty in %s", k, pair[1])
			}
			a := strings.Join(verbs.FindAllString(catalogs[pair[0]][k], -1), "")
			b := strings.Join(verbs.FindAllString(other, -1), "")
			if a != b {
				t.Errorf("%q has placeholders %q in %s but %q in %s", k, a, pair[0], b, pair[1])
			}
		}
	}
}

func TestTranslate(t *testing.T) {
	if got := HI.T("ticket.buy"); got != "खरीदें" {
		t.Errorf("hi ticket.buy = %q", got)
	}
	if got := EN.T("review.orders", 3); got != "Orders: 3" {
		t.Errorf("en review.orders = %q", got)
	}
	// Numbers stay in the digits traders read on every broker's screen.
	if got := HI.T("review.orders", 12); got != "ऑर्डर: 12" {
		t.Errorf("hi review.orders = %q", got)
	}
}

// TestMessagesArePrinted: every message made without the printer (see
// messages) is what the printer prints, for every key of every language, with
// no argument, each number the shortcut takes and some text.
func TestMessagesArePrinted(t *testing.T) {
	texts := []string{"", "Sharma & Sons <Advisory>", "100% sure", "%d %s", "29 Nov 2026, 10:43 am IST", "हिन्दी"}
	shortcuts := 0
	for _, l := range Langs() {
		p := printers()[l]
		for _, key := range Keys(l) {
			m, ok := messages()[l][key]
			if !ok {
				continue
			}
			var args [][]any
			switch m.verb {
			case 0:
				args = append(args, nil)
			case 'd':
				for n := range 1000 {
					args = append(args, []any{n})
				}
			case 's':
				for _, s := range texts {
					args = append(args, []any{s})
				}
			}
			for _, a := range args {
				got, ok := m.fill(a)
				if !ok {
					t.Fatalf("%s %s: no shortcut for %v", l, key, a)
				}
				shortcuts++
				if want := p.Sprintf(key, a...); got != want {
					t.Errorf("%s %s %v: %q, the printer says %q", l, key, a, got, want)
				}
			}
		}
	}
	// The printer groups digits from 1000 on: those are left to it.
	if got := EN.T("review.orders", 12345); got != "Orders: 12,345" {
		t.Errorf("en review.orders 12345 = %q", got)
	}
	if shortcuts < 1000 {
		t.Errorf("only %d messages checked", shortcuts)
	}
}

func TestChoose(t *testing.T) {
	for _, c := range []struct {
		query, cookie, accept string
		want                  Lang
	}{
		{"", "", "", EN},
		{"hi", "", "", HI},
		{"en", "hi", "hi-IN", EN},        // the query beats everything
		{"", "hi", "en-US", HI},          // then the cookie
		{"xx", "", "hi-IN,hi;q=0.9", HI}, // an unknown ?lang is ignored
		{"", "", "en-IN,en;q=0.9,hi;q=0.8", EN},
		{"", "", "hi;q=0.9,en;q=0.5", HI},
		{"", "", "ta-IN", EN},
		{"", "", "garbage;;;", EN},
	} {
		for round := range 2 { // the second time, the header's answer is remembered
			if got := Choose(c.query, c.cookie, c.accept); got != c.want {
				t.Errorf("round %d: Choose(%q, %q, %q) = %s, want %s", round, c.query, c.cookie, c.accept, got, c.want)
			}
		}
	}
}

// TestAcceptMemoIsBounded: headers never seen before (a client making them
// up) do not grow the remembered answers past maxAccepts, and are still
// answered right.
func TestAcceptMemoIsBounded(t *testing.T) {
	for i := range 2 * maxAccepts {
		h := fmt.Sprintf("hi-IN;q=0.%d,en;q=0.1", i%9+1)
		if i%2 == 1 {
			h = fmt.Sprintf("en-x-%d", i)
		}
		want := map[bool]Lang{true: EN, false: HI}[i%2 == 1]
		if got := Choose("", "", h); got != want {
			t.Fatalf("Choose(%q) = %s, want %s", h, got, want)
		}
	}
	n := 0
	acceptMemo.Range(func(any, any) bool { n++; return true })
	if n > maxAccepts || n == 0 {
		t.Errorf("%d headers remembered, want 1 to %d", n, maxAccepts)
	}
	if got := Choose("", "", "hi"); got != HI {
		t.Errorf("with the memo full, Choose(hi) = %s", got)
	}
}

func TestRupees(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0", "₹0.00"},                    // zero
		{"0.5", "₹0.50"},                  // paise
		{"0.05", "₹0.05"},                 // one paisa digit kept in place
		{"2700.55", "₹2,700.55"},          // thousands
		{"145050.5", "₹1,45,050.50"},      // lakhs
		{"1234567.89", "₹12,34,567.89"},   // ten lakhs
		{"123456789", "₹12,34,56,789.00"}, // crores
		{"1000000000", "₹1,00,00,00,000.00"},
		{"999", "₹999.00"},
		{"1000", "₹1,000.00"},
		{"007", "₹7.00"},
		{"1.125", "₹1.125"}, // never rounded away
		{"-5", "-₹5.00"},    // refused by the leg rules; shown with its sign, never hidden
	} {
		got, ok := Rupees(c.in)
		if !ok || got != c.want {
			t.Errorf("Rupees(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{"", "abc", "1e5", "1.2.3", ".5", "₹5", "--1"} {
		if got, ok := Rupees(bad); ok || got != bad {
			t.Errorf("Rupees(%q) = %q, %v; want it back unformatted", bad, got, ok)
		}
	}
}

func TestCount(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "75": "75", "999": "999", "1000": "1,000", "1800": "1,800", "180000": "1,80,000",
		"12345678": "1,23,45,678", "": "", "1.5": "1.5", "-1000": "-1000", "abcd": "abcd",
	} {
		if got := Count(in); got != want {
			t.Errorf("Count(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTimeIsIST(t *testing.T) {
	for _, c := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 11, 29, 5, 13, 0, 0, time.UTC), "29 Nov 2026, 10:43 am IST"},
		{time.Date(2026, 11, 29, 7, 0, 0, 0, time.UTC), "29 Nov 2026, 12:30 pm IST"},
		{time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC), "1 Jan 2027, 1:30 am IST"}, // the date turns in India first
	} {
		if got := Time(c.in); got != c.want {
			t.Errorf("Time(%s) = %q, want %q", c.in, got, c.want)
		}
	}
	// In Hindi, the month in Hindi; every month has a name in each language.
	if got, want := HI.Time(time.Date(2026, 11, 29, 5, 13, 0, 0, time.UTC)), "29 नव॰ 2026, 10:43 am IST"; got != want {
		t.Errorf("HI.Time = %q, want %q", got, want)
	}
	for _, l := range Langs() {
		for m := time.January; m <= time.December; m++ {
			got := l.Time(time.Date(2026, m, 15, 6, 0, 0, 0, time.UTC))
			if name := strings.Fields(got)[1]; name == "" || strings.ContainsAny(name, "0123456789,") {
				t.Errorf("%s.Time in month %d = %q: no month name", l, m, got)
			}
		}
	}
	if got := Lang("xx").Time(time.Date(2026, 11, 29, 5, 13, 0, 0, time.UTC)); got != "29 Nov 2026, 10:43 am IST" {
		t.Errorf("Time in an unknown language = %q, want English", got)
	}
	if got := Date("2026-12-29"); got != "29 Dec 2026" {
		t.Errorf("Date = %q", got)
	}
	if got := Date("2026-13-01"); got != "2026-13-01" {
		t.Errorf("Date of a bad date = %q, want it as it is", got)
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"", EN, false}, {"en", EN, true}, {"hi", HI, true}, {"HI", HI, true}, {" hi ", HI, true},
		{"hi-IN", HI, true}, {"en-GB", EN, true}, {"fr", EN, false}, {"x", EN, false}, {"hi;", EN, false},
	} {
		if got, ok := Parse(c.in); got != c.want || ok != c.ok {
			t.Errorf("Parse(%q) = %s, %v; want %s, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
