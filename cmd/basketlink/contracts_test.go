package main

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
)

const syntheticMaster = "../../testdata/contracts-synthetic.csv"

// niftyLeg is a NIFTY option the synthetic master lists, at qty.
func niftyLeg(qty string) string {
	return `[{"exch":"NFO","symbol":"NIFTY","expiry":"2026-12-29","optType":"CE","inst":"OPTIDX","strike":"26000","qty":` + qty +
		`,"side":"buy","type":"limit","product":"intraday","limitPrice":101.05,"validity":"day"}]`
}

func TestContractsFlag(t *testing.T) {
	good := writeFile(t, "good.json", niftyLeg("150"))
	bad := writeFile(t, "bad.json", niftyLeg("70"))
	lots := bad + ": /0/qty: qty 70 is not a whole number of lots: the NIFTY lot is 75; use 75 or 150\n"

	// Without a master the leg rules alone: 70 is fine.
	if code, out, errOut := runCLI(t, "", "validate", "--as-of", "2026-11-29", bad); code != 0 || out != "" {
		t.Fatalf("no master: code %d, out %q, err %q", code, out, errOut)
	}
	code, out, errOut := runCLI(t, "", "validate", "--as-of", "2026-11-29", "--contracts", syntheticMaster, good, bad)
	if code != 1 || out != lots {
		t.Fatalf("validate --contracts: code %d, out %q, err %q; want %q", code, out, errOut, lots)
	}

	// The environment names the master when the flag does not.
	env := func(k string) string {
		if k == "BASKETLINK_CONTRACTS" {
			return syntheticMaster
		}
		return ""
	}
	var o, e bytes.Buffer
	code = run(context.Background(), []string{"validate", "--as-of", "2026-11-29", bad}, strings.NewReader(""), &o, &e, env)
	if code != 1 || o.String() != lots {
		t.Fatalf("BASKETLINK_CONTRACTS: code %d, out %q, err %q", code, o.String(), e.String())
	}

	code, out, errOut = runCLI(t, "", "link", "--client-id", "K", "--redirect-uri", "https://x.example/cb", "--as-of", "2026-11-29", "--contracts", syntheticMaster, bad)
	if code != 1 || out != "" || errOut != lots {
		t.Fatalf("link --contracts: code %d, out %q, err %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, "", "link", "--client-id", "K", "--redirect-uri", "https://x.example/cb", "--as-of", "2026-11-29", "--contracts", syntheticMaster, good)
	if code != 0 || !strings.Contains(out, "order-connect?") {
		t.Fatalf("link of listed contracts: code %d, out %q", code, out)
	}

	u := "https://api.tradejini.com/v2/api-gw/oauth/order-connect?client_id=K&params=" + url.QueryEscape(niftyLeg("70"))
	code, out, _ = runCLI(t, "", "decode", "--as-of", "2026-11-29", "--contracts", syntheticMaster, u)
	if code != 1 || !strings.Contains(out, "/0/qty: qty 70 is not a whole number of lots: the NIFTY lot is 75; use 75 or 150") {
		t.Fatalf("decode --contracts: code %d, out %q", code, out)
	}
}

func TestContractsMalformed(t *testing.T) {
	master := writeFile(t, "master.csv", "exch,symbol,series,inst,expiry,opt_type,strike,lot_size,tick_size\nNFO,NIFTY,,FUTIDX,2026-12-29,,,75,0.1\nNFO,NIFTY,,OPTIDX,2026-12-29,CE,26000,seventy,0.05\n")
	basketFile := writeFile(t, "b.json", niftyLeg("75"))
	want := `instrument master: ` + master + `:3:39: lot_size: "seventy" is not a lot size: a whole number from 1`
	for _, args := range [][]string{
		{"validate", "--contracts", master, basketFile},
		{"link", "--client-id", "K", "--redirect-uri", "https://x.example/cb", "--contracts", master, basketFile},
		{"decode", "--contracts", master, "https://api.tradejini.com/v2/api-gw/oauth/order-connect?params=%5B%5D"},
		{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--contracts", master},
	} {
		code, out, errOut := runCLI(t, "", args...)
		if code != 2 || out != "" || !strings.Contains(errOut, want) {
			t.Errorf("%s: code %d, out %q, err %q; want exit 2 and %q", args[0], code, out, errOut, want)
		}
	}
	code, _, errOut := runCLI(t, "", "validate", "--contracts", "no-such.csv", basketFile)
	if code != 2 || !strings.Contains(errOut, "no-such.csv") {
		t.Errorf("missing master: code %d, err %q", code, errOut)
	}
}
