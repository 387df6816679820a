// Package i18n holds the words of the public pages in English and Hindi (the
// message catalogs) and picks the language of a request.
package i18n

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Lang is a language the public pages are written in.
type Lang string

// The languages of the public pages; English is the fallback.
const (
	EN Lang = "en"
	HI Lang = "hi"
)

// Langs are the supported languages, in the order the switch lists them.
func Langs() []Lang { return []Lang{EN, HI} }

// CookieName is the cookie that remembers a language picked with ?lang=.
const CookieName = "bl_lang"

// catalogs maps each language to its messages, keyed by message id.
var catalogs = map[Lang]map[string]string{EN: en, HI: hi}

var tags = map[Lang]language.Tag{EN: language.English, HI: language.Hindi}

var matcher = language.NewMatcher([]language.Tag{language.English, language.Hindi})

// messages holds each language's messages as the printer prints them, made
// once, so a page's many words cost a map lookup: those that take no
// argument in full, those that take one (%s, or %d below 1000, which no
// locale groups) as the text before and after it. The rest go through the
// printer.
var messages = sync.OnceValue(func() map[Lang]map[string]message1 {
	m := map[Lang]map[string]message1{}
	for lang, msgs := range catalogs {
		m[lang] = map[string]message1{}
		for key, text := range msgs {
			switch strings.Count(text, "%") {
			case 0:
				m[lang][key] = message1{before: printers()[lang].Sprintf(key)}
			case 1:
				i := strings.Index(text, "%")
				if v := text[i+1:]; v != "" && (v[0] == 's' || v[0] == 'd') {
					m[lang][key] = message1{before: text[:i], verb: v[0], after: v[1:]}
				}
			}
		}
	}
	return m
})

// message1 is a message with no argument (verb 0: the text is before), or
// one, the verb (s or d) between before and after.
type message1 struct {
	before, after string
	verb          byte
}

// fill is the message with args in it, and whether it could be made
// without the printer.
func (m message1) fill(args []any) (string, bool) {
	switch {
	case len(args) == 0 && m.verb == 0:
		return m.before, true
	case len(args) != 1:
		return "", false
	case m.verb == 's':
		if s, ok := args[0].(string); ok {
			return m.before + s + m.after, true
		}
	case m.verb == 'd':
		if n, ok := args[0].(int); ok && n >= 0 && n < 1000 {
			return m.before + strconv.Itoa(n) + m.after, true
		}
	}
	return "", false
}

// printers are built once, on first use: one per language over one catalog.
var printers = sync.OnceValue(func() map[Lang]*message.Printer {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for lang, msgs := range catalogs {
		for key, text := range msgs {
			if err := b.SetString(tags[lang], key, text); err != nil {
				panic("i18n: " + string(lang) + " " + key + ": " + err.Error())
			}
		}
	}
	p := map[Lang]*message.Printer{}
	for lang, tag := range tags {
		p[lang] = message.NewPrinter(tag, message.Catalog(b))
	}
	return p
})

// Parse returns the language s names ("hi", "hi-IN", "en"...), and whether it is one of ours.
func Parse(s string) (Lang, bool) {
	switch s { // most requests: no ?lang= and no cookie, or a cookie this server set
	case "":
		return EN, false
	case string(EN):
		return EN, true
	case string(HI):
		return HI, true
	}
	t, err := language.Parse(strings.TrimSpace(s))
	if err != nil {
		return EN, false
	}
	base, _ := t.Base()
	switch base.String() {
	case "hi":
		return HI, true
	case "en":
		return EN, true
	}
	return EN, false
}

// Choose picks the language of a request: ?lang= first, then the language
// cookie, then the browser's Accept-Language, else English.
func Choose(query, cookie, acceptLanguage string) Lang {
	if l, ok := Parse(query); ok {
		return l
	}
	if l, ok := Parse(cookie); ok {
		return l
	}
	if acceptLanguage != "" {
		return accepted(acceptLanguage)
	}
	return EN
}

// accepted is the language an Accept-Language header asks for, else English.
// Browsers send few distinct headers and parsing one is the costly part of
// choosing, so the answers for the first maxAccepts headers (of a sane
// length) are kept.
func accepted(header string) Lang {
	if l, ok := acceptMemo.Load(header); ok {
		return l.(Lang)
	}
	l := EN
	prefs, _, err := language.ParseAcceptLanguage(header)
	if err == nil && len(prefs) > 0 {
		_, i, conf := matcher.Match(prefs...)
		if conf != language.No && i == 1 {
			l = HI
		}
	}
	if len(header) <= maxAcceptLen && acceptMemoSize.Add(1) <= maxAccepts {
		acceptMemo.Store(header, l)
	}
	return l
}

const (
	maxAccepts   = 1024
	maxAcceptLen = 256
)

var (
	acceptMemo     sync.Map // Accept-Language header -> Lang
	acceptMemoSize atomic.Int64
)

// T is the message key in this language, with args filled in (fmt verbs).
// A key missing from the catalog prints as itself: the tests forbid that.
func (l Lang) T(key string, args ...any) string {
	if m, ok := messages()[l][key]; ok {
		if s, ok := m.fill(args); ok {
			return s
		}
	}
	p, ok := printers()[l]
	if !ok {
		p = printers()[EN]
	}
	return p.Sprintf(key, args...)
}

// Other is the language the switch offers.
func (l Lang) Other() Lang {
	if l == HI {
		return EN
	}
	return HI
}

// Name is the language's name in itself, as the switch shows it.
func (l Lang) Name() string {
	if l == HI {
		return "हिन्दी"
	}
	return "English"
}

type ctxKey struct{}

// With returns ctx carrying the page's language.
func With(ctx context.Context, l Lang) context.Context { return context.WithValue(ctx, ctxKey{}, l) }

// From is the language ctx carries, English when none.
func From(ctx context.Context) Lang {
	if l, ok := ctx.Value(ctxKey{}).(Lang); ok {
		return l
	}
	return EN
}

// T is From(ctx).T(key, args...): the message in the page's language.
func T(ctx context.Context, key string, args ...any) string { return From(ctx).T(key, args...) }

// Has reports whether key exists in every language.
func Has(key string) bool {
	for _, msgs := range catalogs {
		if _, ok := msgs[key]; !ok {
			return false
		}
	}
	return true
}

// Keys lists the keys of lang's catalog, sorted.
func Keys(lang Lang) []string { return slices.Sorted(maps.Keys(catalogs[lang])) }
