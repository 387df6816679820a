package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestClaimStateOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		exp := time.Now().Add(15 * time.Minute)
		if err := s.ClaimState(ctx, "n1", exp); err != nil {
			t.Fatalf("first claim: %v", err)
		}
		if err := s.ClaimState(ctx, "n1", exp); !errors.Is(err, ErrStateUsed) {
			t.Fatalf("second claim: %v, want ErrStateUsed", err)
		}
		if err := s.ClaimState(ctx, "n2", exp); err != nil {
			t.Fatalf("other nonce: %v", err)
		}
		if err := s.ClaimState(ctx, "", exp); !errors.Is(err, ErrInvalid) {
			t.Fatalf("empty nonce: %v, want ErrInvalid", err)
		}
		if err := s.ClaimState(ctx, "n3", time.Time{}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("zero expiry: %v, want ErrInvalid", err)
		}
	})
}

func TestClaimStateConcurrentSameNonce(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		exp := time.Now().Add(15 * time.Minute)
		for round := range 5 {
			nonce := fmt.Sprintf("contested-%d", round)
			errs := make([]error, 20)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range errs {
				wg.Go(func() {
					<-start
					errs[i] = s.ClaimState(ctx, nonce, exp)
				})
			}
			close(start)
			wg.Wait()
			wins := 0
			for _, err := range errs {
				switch {
				case err == nil:
					wins++
				case !errors.Is(err, ErrStateUsed):
					t.Fatalf("round %d: unexpected error %v", round, err)
				}
			}
			if wins != 1 {
				t.Fatalf("round %d: %d claims won, want exactly 1", round, wins)
			}
		}
	})
}

func TestClaimStateConcurrentDistinctNonces(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		exp := time.Now().Add(15 * time.Minute)
		errs := make([]error, 200)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() { errs[i] = s.ClaimState(ctx, fmt.Sprintf("nonce-%03d", i), exp) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("claim %d: %v", i, err)
			}
		}
	})
}

// Two stores on one file, as two processes would be: one claim wins.
func TestClaimStateTwoHandlesOneFile(t *testing.T) {
	eachBackend(t, testClaimStateTwoHandles)
}

func testClaimStateTwoHandles(t *testing.T, tg target) {
	ctx := context.Background()
	a, b := tg.open(t), tg.open(t)
	exp := time.Now().Add(time.Hour)
	for i := range 20 {
		nonce := fmt.Sprintf("n%d", i)
		var errA, errB error
		var wg sync.WaitGroup
		wg.Go(func() { errA = a.ClaimState(ctx, nonce, exp) })
		wg.Go(func() { errB = b.ClaimState(ctx, nonce, exp) })
		wg.Wait()
		if (errA == nil) == (errB == nil) {
			t.Fatalf("nonce %s: errors %v and %v, want exactly one nil", nonce, errA, errB)
		}
		for _, err := range []error{errA, errB} {
			if err != nil && !errors.Is(err, ErrStateUsed) {
				t.Fatalf("nonce %s: %v", nonce, err)
			}
		}
	}
}

func TestClaimStatePurgesExpired(t *testing.T) {
	eachBackend(t, testClaimStatePurgesExpired)
}

func testClaimStatePurgesExpired(t *testing.T, tg target) {
	ctx := context.Background()
	s := tg.open(t)
	past := time.Now().Add(-time.Hour)
	for i := range 10 {
		if err := s.ClaimState(ctx, fmt.Sprintf("old-%d", i), past); err != nil {
			t.Fatal(err)
		}
	}
	forgetLastPurge(s)
	if err := s.ClaimState(ctx, "fresh", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, s, `SELECT COUNT(*) FROM used_states`); n != 1 {
		t.Fatalf("%d nonces left after purge, want only the fresh one", n)
	}
	if err := s.ClaimState(ctx, "fresh", time.Now().Add(time.Hour)); !errors.Is(err, ErrStateUsed) {
		t.Fatalf("purge dropped an unexpired nonce: %v", err)
	}
}

func TestOutcomes(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		b, _ := s.CreateBasket(ctx, "", exampleParams)
		other, _ := s.CreateBasket(ctx, "", exampleParams)

		if outs, err := s.Outcomes(ctx, b.ID); err != nil || len(outs) != 0 {
			t.Fatalf("no outcomes yet: %+v %v", outs, err)
		}
		at := time.Date(2026, 11, 29, 9, 15, 0, 123456000, time.UTC)
		want := []Outcome{
			{BasketID: b.ID, Status: StatusOK, HTTPStatus: 200, TokenTail: "Zx9_", SealedToken: []byte{1, 2, 3, 0, 255}, CreatedAt: at},
			{BasketID: b.ID, Status: StatusCancelled, Message: "access_denied"},
			{BasketID: b.ID, Status: StatusRefused, HTTPStatus: 401, Message: "Invalid client credentials"},
			{BasketID: b.ID, Status: StatusTimeout, Message: "Tradejini did not answer in 10s"},
			{BasketID: b.ID, Status: StatusError, Message: "Ünïcode message ✓"},
		}
		for i := range want {
			id, err := s.RecordOutcome(ctx, want[i])
			if err != nil {
				t.Fatalf("record %d: %v", i, err)
			}
			if i > 0 && id <= want[i-1].ID {
				t.Fatalf("ids not increasing: %d after %d", id, want[i-1].ID)
			}
			want[i].ID = id
		}
		if _, err := s.RecordOutcome(ctx, Outcome{BasketID: other.ID, Status: StatusOK}); err != nil {
			t.Fatal(err)
		}

		got, err := s.Outcomes(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d outcomes, want %d", len(got), len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.ID != w.ID || g.BasketID != w.BasketID || g.Status != w.Status || g.HTTPStatus != w.HTTPStatus ||
				g.Message != w.Message || g.TokenTail != w.TokenTail || string(g.SealedToken) != string(w.SealedToken) {
				t.Errorf("outcome %d = %+v, want %+v", i, g, w)
			}
			if (w.SealedToken == nil) != (g.SealedToken == nil) {
				t.Errorf("outcome %d: SealedToken %v, want %v", i, g.SealedToken, w.SealedToken)
			}
			if g.CreatedAt.IsZero() || time.Since(g.CreatedAt) > time.Hour && !g.CreatedAt.Equal(at) {
				t.Errorf("outcome %d: CreatedAt %v", i, g.CreatedAt)
			}
		}
		if !got[0].CreatedAt.Equal(at) {
			t.Errorf("CreatedAt %v, want %v", got[0].CreatedAt, at)
		}
		if outs, _ := s.Outcomes(ctx, "unknown"); len(outs) != 0 {
			t.Fatalf("outcomes of an unknown basket: %+v", outs)
		}
	})
}

func TestRecordOutcomeRefuses(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		b, _ := s.CreateBasket(ctx, "", exampleParams)
		tests := []struct {
			name string
			o    Outcome
			want error
			says string
		}{
			{"unknown basket", Outcome{BasketID: "AAAAAAAAAAAAAAAA", Status: StatusOK}, ErrNotFound, "AAAAAAAAAAAAAAAA"},
			{"no basket", Outcome{Status: StatusOK}, ErrInvalid, "no basket id"},
			{"unknown status", Outcome{BasketID: b.ID, Status: "fine"}, ErrInvalid, `"fine" is not one of`},
			{"empty status", Outcome{BasketID: b.ID}, ErrInvalid, "status"},
			{"bad http status", Outcome{BasketID: b.ID, Status: StatusError, HTTPStatus: 42}, ErrInvalid, "HTTP status 42"},
			{"whole token", Outcome{BasketID: b.ID, Status: StatusOK, TokenTail: "eyJhbGciOiJIUzI1NiJ9"}, ErrInvalid, "at most 4"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.RecordOutcome(ctx, tt.o)
				if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.says) {
					t.Fatalf("err = %v, want %v saying %q", err, tt.want, tt.says)
				}
				if tt.o.TokenTail != "" && strings.Contains(err.Error(), tt.o.TokenTail) {
					t.Fatalf("error repeats the token: %v", err)
				}
			})
		}
		if outs, _ := s.Outcomes(ctx, b.ID); len(outs) != 0 {
			t.Fatalf("refused outcomes were stored: %+v", outs)
		}
	})
}

func TestRecordOutcomeCutsLongMessage(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		b, _ := s.CreateBasket(ctx, "", exampleParams)
		if _, err := s.RecordOutcome(ctx, Outcome{BasketID: b.ID, Status: StatusError, Message: strings.Repeat("é", 5000) + "\xff"}); err != nil {
			t.Fatal(err)
		}
		outs, _ := s.Outcomes(ctx, b.ID)
		if n := len([]rune(outs[0].Message)); n != MaxMessageChars || !strings.HasSuffix(outs[0].Message, "…") {
			t.Fatalf("message of %d characters stored, want %d ending in …", n, MaxMessageChars)
		}
	})
}
