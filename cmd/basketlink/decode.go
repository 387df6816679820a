package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"basketlink/basket"
)

func runDecode(env *cmdEnv, args []string) int {
	fs := newFlagSet("decode", env.stderr)
	asJSON := fs.Bool("json", false, "print the result object with the other query parameters under \"query\"")
	var asOf asOfFlag
	fs.Var(&asOf, "as-of", "compare expiries with this date, `YYYY-MM-DD` (default today in Asia/Kolkata)")
	maxLegs := fs.Int("max-legs", basket.DefaultMaxLegs, "most legs a basket may hold")
	master := contractsFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: basketlink decode [--json] [--as-of D] [--contracts FILE] URL   (URL - reads it from stdin)")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		return usageError(env, fs, "name exactly one URL")
	}
	m, ok := loadContracts(env, "decode", *master)
	if !ok {
		return exitUsage
	}
	raw := pos[0]
	if raw == "-" {
		data, err := readInput(env, "-")
		if err != nil {
			fmt.Fprintf(env.stderr, "stdin: %s\n", safeText(err.Error()))
			return exitUsage
		}
		raw = string(data)
	}
	d, err := basket.DecodeURL(raw)
	if err != nil {
		fmt.Fprintf(env.stderr, "basketlink decode: %s\n", safeText(err.Error()))
		return exitInvalid
	}
	res := d.Validate(basket.Options{AsOf: asOf.t, MaxLegs: *maxLegs, Contracts: m})
	if *asJSON {
		// A repeated name keeps its first value, as url.Values.Get would.
		query := make(map[string]string, len(d.Query))
		for _, p := range d.Query {
			if _, seen := query[p.Name]; !seen {
				query[p.Name] = p.Value
			}
		}
		writeJSON(env.stdout, struct {
			basket.Result
			Query map[string]string `json:"query"`
		}{res, query})
	} else {
		printDecoded(env.stdout, d, res)
	}
	if !res.Valid {
		return exitInvalid
	}
	return exitOK
}

func printDecoded(w io.Writer, d basket.Decoded, res basket.Result) {
	fmt.Fprintf(w, "endpoint: %s\nbase:     %s\n", safeText(d.Endpoint), safeText(d.BaseURL))
	if d.Endpoint != "order-connect" {
		fmt.Fprintf(w, "note:     not an order-connect URL (its path should end in /api-gw/oauth/order-connect)\n")
	}
	fmt.Fprintf(w, "\nquery:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, p := range d.Query {
		fmt.Fprintf(tw, "  %s\t%s\n", safeText(p.Name), safeText(p.Value))
	}
	tw.Flush()
	if len(res.Items) > 0 {
		fmt.Fprintf(w, "\nlegs:\n")
		cols := basket.Columns(res.Items)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		heads := make([]string, len(cols))
		for j, c := range cols {
			heads[j] = safeText(c)
		}
		fmt.Fprintf(tw, "  #\t%s\n", strings.Join(heads, "\t"))
		for i, item := range res.Items {
			cells := make([]string, len(cols))
			for j, c := range cols {
				cells[j] = safeText(basket.Cell(item, c))
			}
			fmt.Fprintf(tw, "  %d\t%s\n", i, strings.Join(cells, "\t"))
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
	if res.Valid {
		fmt.Fprintf(w, "valid: %d legs\nparams: %s\n", res.Legs, safeText(res.Params))
		return
	}
	fmt.Fprintf(w, "invalid: %d errors\n", len(res.Errors))
	for _, e := range res.Errors {
		fmt.Fprintf(w, "  %s: %s\n", safeText(pointerOrRoot(e.Pointer)), safeText(e.Message))
	}
}

func pointerOrRoot(p string) string {
	if p == "" {
		return `""`
	}
	return p
}
