// Package i18n holds the words of the public pages in English and Hindi (the
// message catalogs) and picks the language of a request.
package i18n

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"

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

// plain holds each language's messages that take no arguments, as the
// printer prints them, so a page's many fixed words cost a map lookup.
var plain = sync.OnceValue(func() map[Lang]map[string]string {
	m := map[Lang]map[string]string{}
	for lang, msgs := range catalogs {
		m[lang] = map[string]string{}
		for key, text := range msgs {
			if !strings.Contains(text, "%") {
				m[lang][key] = printers()[lang].Sprintf(key)
			}
		}
	}
	return m
})

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
		prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
		if err == nil && len(prefs) > 0 {
			_, i, conf := matcher.Match(prefs...)
			if conf != language.No && i == 1 {
				return HI
			}
		}
	}
	return EN
}

// T is the message key in this language, with args filled in (fmt verbs).
// A key missing from the catalog prints as itself: the tests forbid that.
func (l Lang) T(key string, args ...any) string {
	if len(args) == 0 {
		if s, ok := plain()[l][key]; ok {
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
