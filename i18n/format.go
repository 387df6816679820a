package i18n

import (
	"strings"
	"sync"
	"time"

	"basketlink/basket"
)

// Rupees formats an amount written as decimal text ("145050.5") as a person
// reads it in India: the rupee sign, Indian digit grouping (the last three
// digits, then pairs) and at least two decimals: "₹1,45,050.50". More
// decimals than two are kept, never rounded away. It works on the text, not
// a float, so no paisa is ever lost.
//
// Amounts are never negative in a valid basket (the leg rules refuse them),
// but a pasted link may hold one: it keeps its sign ("-₹5.00"), so a page
// never shows a wrong amount as a right one. Text that is not a plain decimal
// comes back with ok false, for the caller to show as it is.
func Rupees(amount string) (formatted string, ok bool) {
	s := strings.TrimSpace(amount)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || !digits(whole) || !digits(frac) || strings.Count(s, ".") > 1 {
		return amount, false
	}
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	var b strings.Builder
	b.Grow(len(sign) + len("₹") + len(whole) + len(whole)/2 + 1 + max(len(frac), 2))
	b.WriteString(sign)
	b.WriteString("₹")
	writeGrouped(&b, whole)
	b.WriteByte('.')
	b.WriteString(frac)
	for range 2 - min(len(frac), 2) {
		b.WriteByte('0')
	}
	return b.String(), true
}

// Count writes a whole number, given as its digits, as a person reads it in
// India: "1,80,000". Other text comes back as it is.
func Count(n string) string {
	if len(n) <= 3 || !digits(n) {
		return n
	}
	var b strings.Builder
	b.Grow(len(n) + len(n)/2)
	writeGrouped(&b, n)
	return b.String()
}

// writeGrouped writes a run of digits with Indian separators: 1,23,45,678.
func writeGrouped(b *strings.Builder, d string) {
	if len(d) <= 3 {
		b.WriteString(d)
		return
	}
	head, tail := d[:len(d)-3], d[len(d)-3:]
	if len(head)%2 == 1 {
		b.WriteString(head[:1])
		b.WriteByte(',')
		head = head[1:]
	}
	for i := 0; i < len(head); i += 2 {
		b.WriteString(head[i : i+2])
		b.WriteByte(',')
	}
	b.WriteString(tail)
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Time is a moment as a person in India reads it, in English: "29 Nov 2026,
// 10:43 am IST". Pages in the reader's language use Lang.Time.
func Time(t time.Time) string { return EN.Time(t) }

// Time is a moment as a person in India reads it, in l: "29 Nov 2026, 10:43
// am IST", in Hindi "29 नव॰ 2026, 10:43 am IST".
func (l Lang) Time(t time.Time) string {
	t = t.In(basket.IST)
	var buf [64]byte
	b := t.AppendFormat(buf[:0], "2 ")
	names, ok := months()[l]
	if !ok {
		names = months()[EN]
	}
	b = append(b, names[t.Month()-1]...)
	return string(t.AppendFormat(b, " 2006, 3:04 pm IST"))
}

// months are each language's month names, from its catalog's time.months
// (English's where a language has none).
var months = sync.OnceValue(func() map[Lang][12]string {
	m := map[Lang][12]string{}
	for _, l := range Langs() {
		names := strings.Fields(l.T("time.months"))
		if len(names) != 12 {
			names = strings.Fields(EN.T("time.months"))
		}
		m[l] = [12]string(names)
	}
	return m
})

// Date is a YYYY-MM-DD date as people write it, "29 Dec 2026" (DateLayout);
// other text comes back as it is.
func Date(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format(DateLayout)
}

// DateLayout is how Date writes a date, as a time layout.
const DateLayout = "2 Jan 2006"
