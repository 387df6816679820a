package state_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"

	"basketlink/secret"
	"basketlink/state"
	"basketlink/store"
)

// The click and the callback, as the handlers do them: issue a state and set
// its cookie; at the callback verify the state against the cookie, then claim
// its nonce in the store so that it works once.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "basketlink-example")
	defer os.RemoveAll(dir)

	key, err := secret.Load(dir, "") // generates dir/secret.key
	if err != nil {
		fmt.Println(err)
		return
	}
	db, err := store.Open(ctx, dir, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	basket, _ := db.CreateBasket(ctx, "example", `[{"exch":"NSE"}]`)
	iss := &state.Issuer{Key: key}

	// GET /b/{id}/go: http.SetCookie(w, cookie), then 302 to the
	// order-connect URL carrying state=st. Nothing is written to the database.
	st, claims, _ := iss.Issue(basket.ID)
	cookie := iss.Cookie(st, claims, "/callback", false)

	// GET /callback?code=...&state=st, the browser sending the cookie back
	callback := func() error {
		r := httptest.NewRequest("GET", "/callback?state="+st, nil)
		r.AddCookie(cookie)
		c, err := iss.VerifyRequest(r, r.URL.Query().Get("state"), false)
		if err != nil {
			return err // 400 page
		}
		if err := db.ClaimState(ctx, c.Nonce, c.Expires); err != nil {
			return err // store.ErrStateUsed: 400 page
		}
		return nil // exchange the code, record the outcome for c.BasketID
	}
	fmt.Println("first callback:", callback())
	fmt.Println("replay is refused:", errors.Is(callback(), store.ErrStateUsed))
	// Output:
	// first callback: <nil>
	// replay is refused: true
}
