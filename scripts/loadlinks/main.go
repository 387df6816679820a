// Command loadlinks saves many baskets straight through the store, for the
// load run of scripts/links-load.sh: N links in the SQLite database of a data
// directory or in PostgreSQL, their ids written one a line.
//
//	go run ./scripts/loadlinks -data DIR [-db postgres://...] -n 200000 -ids ids.txt
//
// The schema comes from store.Open; the rows go in with plain SQL, in one
// transaction, since one commit per link would take minutes.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"

	"basketlink/basket"
	"basketlink/store"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadlinks:", err)
		os.Exit(1)
	}
}

func run() error {
	dataDir := flag.String("data", "", "data directory (its SQLite database, unless -db is given)")
	dbURL := flag.String("db", "", "postgres:// URL (empty: SQLite in -data)")
	n := flag.Int("n", 200000, "how many links to save")
	idsPath := flag.String("ids", "ids.txt", "file the saved ids are written to, one a line")
	flag.Parse()
	ctx := context.Background()
	db, err := store.Open(ctx, *dataDir, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()

	// Every link its own basket, of the kinds advisors share: two equity
	// legs, a future, an option straddle and an iron condor (2.25 legs on
	// average), each validated as a save would.
	params := make([]string, *n)
	for i := range params {
		legs := loadBasket(i)
		res := basket.Validate([]byte(legs), basket.Options{})
		if !res.Valid {
			return fmt.Errorf("basket %d does not validate: %v\n%s", i, res.Errors, legs)
		}
		params[i] = res.Params
	}

	ids := make([]string, *n)
	for i := range ids {
		b := make([]byte, store.IDLength*6/8)
		rand.Read(b)
		ids[i] = base64.RawURLEncoding.EncodeToString(b)
	}
	start := time.Now()
	// store.Open made the schema; the rows go in with plain SQL in one
	// transaction (SQLite) or one COPY (PostgreSQL), not one commit each.
	now := time.Now().UnixMicro()
	if *dbURL != "" {
		err = insertPostgres(ctx, *dbURL, ids, params, now)
	} else {
		err = insertSQLite(ctx, filepath.Join(*dataDir, store.DBFileName), ids, params, now)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(*idsPath, []byte(strings.Join(ids, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Printf("loadlinks: saved %d links in %s\n", *n, time.Since(start).Round(time.Millisecond))
	return nil
}

func insertSQLite(ctx context.Context, path string, ids, params []string, now int64) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO baskets (id, label, params, created_at) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if _, err := st.ExecContext(ctx, id, "load "+strconv.Itoa(i), params[i], now); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func insertPostgres(ctx context.Context, dbURL string, ids, params []string, now int64) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"baskets"}, []string{"id", "label", "params", "created_at"},
		pgx.CopyFromSlice(len(ids), func(i int) ([]any, error) {
			return []any{ids[i], "load " + strconv.Itoa(i), params[i], now}, nil
		}))
	return err
}

var stocks = []string{"RELIANCE", "TCS", "HDFCBANK", "INFY", "ICICIBANK", "SBIN", "ITC", "LT", "AXISBANK", "KOTAKBANK",
	"BHARTIARTL", "HINDUNILVR", "BAJFINANCE", "MARUTI", "ASIANPAINT", "TITAN", "SUNPHARMA", "WIPRO", "IDEA", "ONGC"}

// loadBasket is the legs of the i-th load link.
func loadBasket(i int) string {
	const expiry = "2027-03-25"
	price := func(base, step int) string {
		return strconv.FormatFloat(float64(base)+float64(i%step)*0.05, 'f', 2, 64)
	}
	opt := func(symbol, optType string, strike, qty int, side, limit string) string {
		return fmt.Sprintf(`{"exch":"NFO","symbol":%q,"expiry":%q,"optType":%q,"inst":"OPTIDX","strike":"%d","qty":%d,"side":%q,"type":"limit","product":"delivery","limitPrice":%s,"validity":"day"}`,
			symbol, expiry, optType, strike, qty, side, limit)
	}
	index, lot := "NIFTY", 75
	if i%3 == 0 {
		index, lot = "BANKNIFTY", 35
	}
	strike := 24000 + 50*(i%200)
	lots := 1 + i%10
	switch i % 4 {
	case 0:
		return fmt.Sprintf(`[{"exch":"NSE","symbol":%q,"series":"EQ","inst":"EQT","qty":%d,"side":"buy","type":"limit","product":"delivery","limitPrice":%s,"validity":"day"},`+
			`{"exch":"NSE","symbol":%q,"series":"EQ","inst":"EQT","qty":%d,"side":"sell","type":"market","product":"intraday","limitPrice":0,"validity":"day"}]`,
			stocks[i%len(stocks)], 1+i%500, price(100, 20000), stocks[(i/7)%len(stocks)], 1+i%250)
	case 1:
		return fmt.Sprintf(`[{"exch":"NFO","symbol":%q,"expiry":%q,"inst":"FUTIDX","qty":%d,"side":"buy","type":"limit","product":"delivery","limitPrice":%s,"validity":"day"}]`,
			index, expiry, lot*lots, price(24000, 20000))
	case 2:
		return "[" + opt(index, "CE", strike, lot*lots, "sell", price(100, 4000)) + "," + opt(index, "PE", strike, lot*lots, "sell", price(90, 4000)) + "]"
	default:
		return "[" + opt(index, "CE", strike+200, lot*lots, "buy", price(20, 2000)) + "," + opt(index, "PE", strike-200, lot*lots, "buy", price(18, 2000)) + "," +
			opt(index, "CE", strike+100, lot*lots, "sell", price(45, 2000)) + "," + opt(index, "PE", strike-100, lot*lots, "sell", price(40, 2000)) + "]"
	}
}
