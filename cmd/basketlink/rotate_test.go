package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"basketlink/secret"
)

// TestKeyRotation: a state signed before the secret key was rotated still
// completes after it (the old key kept second), tokens sealed under either
// key stay readable (token pickup on, so that tokens are kept), and once the
// old key is dropped its states are refused.
func TestKeyRotation(t *testing.T) {
	const oldKey, newKey = "the-key-before-rotation-0123456789abcdef", "the-key-after-rotation-0123456789abcdefg"
	dataDir := t.TempDir()
	srv := startServeWith(t, dataDir, nil, map[string]string{"BASKETLINK_SECRET_KEY": oldKey, "BASKETLINK_TOKEN_PICKUP": "true"}, "--sim-auto", "approve")
	addr := strings.TrimPrefix(srv.URL, "http://")
	b := newBrowser(t, nil)
	c := createBasket(t, b, srv.URL, liveBasket(t), "rotated")
	oc, _ := click(t, b, c.ShortURL)
	if status, _, body := b.get(approve(t, b, oc)); status != http.StatusOK {
		t.Fatalf("callback before the rotation: %d %s", status, body)
	}
	ocBefore, _ := click(t, b, c.ShortURL) // signed with the old key
	ocBefore2, _ := click(t, b, c.ShortURL)
	srv.Stop()

	rotated := map[string]string{"BASKETLINK_SECRET_KEY": newKey + "," + oldKey, "BASKETLINK_TOKEN_PICKUP": "true"}
	srv = startServeWith(t, dataDir, nil, rotated, "--sim-auto", "approve", "--addr", addr)
	if status, _, body := b.get(approve(t, b, ocBefore)); status != http.StatusOK || !strings.Contains(body, `data-kind="ok"`) {
		t.Fatalf("a state from before the rotation, after it: %d %s", status, body)
	}
	ocRotated, _ := click(t, b, c.ShortURL) // signed with the new key
	outcomes, err := openStore(t, dataDir).Outcomes(context.Background(), c.ID)
	if err != nil || len(outcomes) != 2 {
		t.Fatalf("outcomes %+v %v", outcomes, err)
	}
	old, _ := secret.Load("", oldKey)
	fresh, _ := secret.Load("", newKey)
	if _, err := old.Open(outcomes[0].SealedToken); err != nil {
		t.Fatalf("the token sealed before the rotation: %v", err)
	}
	if _, err := fresh.Open(outcomes[1].SealedToken); err != nil {
		t.Fatalf("the token sealed after the rotation is not under the new key: %v", err)
	}
	srv.Stop()

	// The old key dropped: its states no longer verify; the new key's do.
	srv = startServeWith(t, dataDir, nil, map[string]string{"BASKETLINK_SECRET_KEY": newKey}, "--sim-auto", "approve", "--addr", addr)
	if status, _, body := b.get(approve(t, b, ocBefore2)); status != http.StatusBadRequest || !strings.Contains(body, "not one basketlink issued") {
		t.Fatalf("an old-key state after the old key was dropped: %d %s", status, body)
	}
	if status, _, body := b.get(approve(t, b, ocRotated)); status != http.StatusOK {
		t.Fatalf("a new-key state after the old key was dropped: %d %s", status, body)
	}
	for _, k := range []string{oldKey, newKey} {
		if strings.Contains(srv.Logs.String(), k) {
			t.Fatal("a key is in the logs")
		}
	}
}
