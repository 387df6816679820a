package share

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"basketlink/secret"
	"basketlink/store"
)

// TestResultCookie: the cookie that lets a browser reload its result page
// gives back the same outcome, and only for the state it was made for;
// a changed or moved cookie is ignored.
func TestResultCookie(t *testing.T) {
	dir := t.TempDir()
	key, err := secret.Load(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := &Service{Store: db, Key: key}
	b, err := db.CreateBasket(context.Background(), "hedge", `[]`)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 29, 5, 13, 0, 0, time.UTC)
	out := Outcome{Status: http.StatusBadGateway, Kind: store.StatusRefused, Reason: ReasonRefused, Detail: "invalid code",
		Saved: &Saved{Basket: b}, ID: 42, At: at}
	c, err := s.resultCookie("state-1", out)
	if err != nil {
		t.Fatal(err)
	}
	if !c.HttpOnly || c.Path != CallbackPath || c.MaxAge <= 0 || strings.Contains(c.Value, "token") {
		t.Fatalf("cookie %+v", c)
	}
	find := func(st string, ck *http.Cookie) (Outcome, bool) {
		r := httptest.NewRequest(http.MethodGet, "/callback?state="+st, nil)
		r.AddCookie(ck)
		return s.remembered(context.Background(), r, st)
	}
	got, ok := find("state-1", c)
	if !ok || got.Status != out.Status || got.Kind != out.Kind || got.Reason != out.Reason || got.Detail != out.Detail ||
		got.ID != 42 || !got.At.Equal(at) || got.Saved == nil || got.Saved.ID != b.ID {
		t.Fatalf("remembered %+v, %v", got, ok)
	}
	// The same cookie under the name of another state: not that state's result.
	moved := *c
	moved.Name = resultCookieName("state-2")
	if _, ok := find("state-2", &moved); ok {
		t.Error("a result cookie moved to another state was accepted")
	}
	// A changed outcome (refused made ok): the signature no longer matches.
	forged := *c
	payload, mac, _ := strings.Cut(c.Value, ".")
	flip := "B"
	if payload[5:6] == "B" {
		flip = "C"
	}
	forged.Value = payload[:5] + flip + payload[6:] + "." + mac
	if _, ok := find("state-1", &forged); ok {
		t.Error("a changed result cookie was accepted")
	}
	if _, ok := find("state-1", &http.Cookie{Name: c.Name, Value: "garbage"}); ok {
		t.Error("a garbage result cookie was accepted")
	}
}

// TestResultCookieAcrossKeyRotation: a result cookie made under the old key
// still reloads its page once a new key is put first.
func TestResultCookieAcrossKeyRotation(t *testing.T) {
	const oldKey, newKey = "result-cookie-key-before-rotation-0123", "result-cookie-key-after-rotation-01234"
	dir := t.TempDir()
	db, err := store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b, err := db.CreateBasket(context.Background(), "", `[]`)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := secret.Load("", oldKey)
	after, _ := secret.Load("", newKey+","+oldKey)
	c, err := (&Service{Store: db, Key: before}).resultCookie("st", Outcome{Status: http.StatusOK, Kind: store.StatusOK, Saved: &Saved{Basket: b}, ID: 1, At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/callback?state=st", nil)
	r.AddCookie(c)
	if got, ok := (&Service{Store: db, Key: after}).remembered(context.Background(), r, "st"); !ok || got.Kind != store.StatusOK {
		t.Fatalf("after the rotation: %+v %v", got, ok)
	}
	dropped, _ := secret.Load("", newKey)
	if _, ok := (&Service{Store: db, Key: dropped}).remembered(context.Background(), r, "st"); ok {
		t.Fatal("a result cookie of a dropped key was accepted")
	}
}
