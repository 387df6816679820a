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

	// A few distinct valid baskets, each validated once; the links differ by id.
	var params []string
	for i := range 50 {
		legs := fmt.Sprintf(`[{"exch":"NSE","symbol":"IDEA","series":"EQ","inst":"EQT","qty":%d,"side":"buy","type":"limit","product":"intraday","limitPrice":%s,"validity":"day"},`+
			`{"exch":"NSE","symbol":"SBIN","series":"EQ","inst":"EQT","qty":%d,"side":"sell","type":"market","product":"delivery","limitPrice":0,"validity":"day"}]`,
			i+1, strconv.FormatFloat(10+float64(i)/20, 'f', 2, 64), 2*i+1)
		res := basket.Validate([]byte(legs), basket.Options{})
		if !res.Valid {
			return fmt.Errorf("basket %d does not validate: %v", i, res.Errors)
		}
		params = append(params, res.Params)
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
		if _, err := st.ExecContext(ctx, id, "load "+strconv.Itoa(i), params[i%len(params)], now); err != nil {
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
			return []any{ids[i], "load " + strconv.Itoa(i), params[i%len(params)], now}, nil
		}))
	return err
}
