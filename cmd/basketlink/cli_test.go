package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const documented = `[{"exch":"NSE","symbol":"ACC","series":"EQ","inst":"EQT","qty":10,"side":"buy","type":"limit","product":"intraday","limitPrice":2700.55,"validity":"day"},{"exch":"NFO","symbol":"NIFTY","expiry":"2022-11-24","inst":"FUTIDX","qty":2000,"side":"sell","type":"market","product":"intraday","limitPrice":0,"validity":"ioc","discQty":500},{"exch":"NFO","symbol":"BANKNIFTY","expiry":"2022-11-24","optType":"PE","inst":"OPTIDX","strike":"34000","qty":1500,"side":"buy","type":"market","product":"delivery","limitPrice":0,"validity":"day","mktProt":5}]`

// runCLI runs the real program in-process and returns its exit code and output.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, func(string) string { return "" })
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidateCommand(t *testing.T) {
	good := writeFile(t, "good.json", documented)
	bad := writeFile(t, "bad.json", strings.Replace(documented, `"limitPrice":2700.55`, `"limitPrice":0`, 1))

	code, out, errOut := runCLI(t, "", "validate", "--as-of", "2022-11-20", good)
	if code != 0 || out != "" || errOut != "" {
		t.Fatalf("valid file: code %d, out %q, err %q", code, out, errOut)
	}

	code, out, _ = runCLI(t, "", "validate", "--as-of", "2022-11-20", good, bad)
	want := bad + ": /0/limitPrice: limit orders need a limitPrice above 0\n"
	if code != 1 || out != want {
		t.Fatalf("invalid file: code %d, out %q, want %q", code, out, want)
	}

	// Flags after the files, stdin as "-", one JSON line per file.
	code, out, _ = runCLI(t, documented, "validate", good, "-", bad, "--json", "--as-of", "2022-11-20")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 1 || len(lines) != 3 {
		t.Fatalf("--json: code %d, %d lines: %q", code, len(lines), out)
	}
	var first, last struct {
		Valid  bool   `json:"valid"`
		Legs   int    `json:"legs"`
		Params string `json:"params"`
		Errors []struct {
			Pointer, Field, Message string
			Leg                     *int
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[2]), &last); err != nil {
		t.Fatal(err)
	}
	if !first.Valid || first.Legs != 3 || first.Params != documented {
		t.Fatalf("first result %+v", first)
	}
	if last.Valid || len(last.Errors) != 1 || last.Errors[0].Pointer != "/0/limitPrice" || *last.Errors[0].Leg != 0 || last.Errors[0].Field != "limitPrice" {
		t.Fatalf("last result %+v", last)
	}

	// Today's as-of: the 2022 contracts are dead.
	code, out, _ = runCLI(t, "", "validate", good)
	if code != 1 || !strings.Contains(out, "/1/expiry: contract expired") {
		t.Fatalf("default as-of: code %d out %q", code, out)
	}

	// Root errors print with the empty pointer.
	code, out, _ = runCLI(t, `{"a":1}`, "validate", "-")
	if code != 1 || out != "-: : params must be a JSON array of legs, not an object\n" {
		t.Fatalf("root error: code %d out %q", code, out)
	}
}

func TestValidateCommandUsageAndIO(t *testing.T) {
	for _, args := range [][]string{
		{"validate"},
		{"validate", "--as-of", "2022-02-30", "x.json"},
		{"validate", "--max-legs", "0", "x.json"},
		{"validate", "--nope", "x.json"},
		{"validate", filepath.Join(t.TempDir(), "missing.json")},
		{"frobnicate"},
		{},
	} {
		if code, _, errOut := runCLI(t, "", args...); code != 2 || errOut == "" {
			t.Errorf("%q: code %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
	code, _, errOut := runCLI(t, "", "validate", filepath.Join(t.TempDir(), "missing.json"))
	if code != 2 || !strings.Contains(errOut, "missing.json: no such file or directory") {
		t.Fatalf("missing file: %d %q", code, errOut)
	}
	if code, _, _ := runCLI(t, "", "validate", "-h"); code != 0 {
		t.Fatalf("-h exits %d", code)
	}
}

func TestLinkCommand(t *testing.T) {
	good := writeFile(t, "good.json", documented)
	code, out, errOut := runCLI(t, "", "link", "--client-id", "APIKEY", "--redirect-uri", "https://app.example/callback",
		"--state", "xyz", "--as-of", "2022-11-20", good)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	u, err := url.Parse(strings.TrimSpace(out))
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme+"://"+u.Host+u.Path != "https://api.tradejini.com/v2/api-gw/oauth/order-connect" {
		t.Fatalf("URL %s", out)
	}
	q := u.Query()
	if q.Get("params") != documented || q.Get("client_id") != "APIKEY" || q.Get("state") != "xyz" ||
		q.Get("redirect_uri") != "https://app.example/callback" || q.Get("response_type") != "code" || q.Get("scope") != "general" {
		t.Fatalf("query %v", q)
	}

	code, out, _ = runCLI(t, "", "link", "--client-id", "K", "--redirect-uri", "http://127.0.0.1:8080/callback", "--state", "s",
		"--base-url", "http://127.0.0.1:9090/v2", "--login-only")
	if code != 0 || strings.TrimSpace(out) != "http://127.0.0.1:9090/v2/api-gw/oauth/authorize?client_id=K&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcallback&response_type=code&scope=general&state=s" {
		t.Fatalf("login-only: %d %q", code, out)
	}

	// No --state: a random one, different each time.
	_, out1, _ := runCLI(t, "", "link", "--client-id", "K", "--redirect-uri", "https://x/cb", "--login-only")
	_, out2, _ := runCLI(t, "", "link", "--client-id", "K", "--redirect-uri", "https://x/cb", "--login-only")
	s1, _ := url.Parse(strings.TrimSpace(out1))
	s2, _ := url.Parse(strings.TrimSpace(out2))
	if st := s1.Query().Get("state"); len(st) < 16 || st == s2.Query().Get("state") {
		t.Fatalf("random states %q %q", st, s2.Query().Get("state"))
	}

	code, out, errOut = runCLI(t, "", "link", "--client-id", "K", "--redirect-uri", "https://x/cb", good)
	if code != 1 || out != "" || !strings.Contains(errOut, ": /1/expiry: contract expired") {
		t.Fatalf("expired basket: %d %q %q", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "", "link", "--redirect-uri", "https://x/cb", good); code != 2 {
		t.Fatalf("missing --client-id: %d", code)
	}
	if code, _, _ := runCLI(t, "", "link", "--client-id", "K", "--redirect-uri", "https://x/cb"); code != 2 {
		t.Fatalf("missing FILE: %d", code)
	}
}

func TestDecodeCommand(t *testing.T) {
	good := writeFile(t, "good.json", documented)
	_, link, _ := runCLI(t, "", "link", "--client-id", "APIKEY", "--redirect-uri", "https://app.example/cb", "--state", "st", "--as-of", "2022-11-20", good)
	link = strings.TrimSpace(link)

	code, out, _ := runCLI(t, "", "decode", "--as-of", "2022-11-20", link)
	for _, want := range []string{"endpoint: order-connect", "client_id      APIKEY", "BANKNIFTY", "valid: 3 legs", "params: " + documented} {
		if !strings.Contains(out, want) {
			t.Errorf("decode output lacks %q:\n%s", want, out)
		}
	}
	if code != 0 {
		t.Fatalf("code %d", code)
	}

	code, out, _ = runCLI(t, "", "decode", "--json", link)
	var res struct {
		Valid  bool              `json:"valid"`
		Legs   int               `json:"legs"`
		Query  map[string]string `json:"query"`
		Errors []struct{ Pointer string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if code != 1 || res.Valid || res.Legs != 3 || res.Query["client_id"] != "APIKEY" || res.Query["state"] != "st" || len(res.Errors) != 2 || res.Errors[0].Pointer != "/1/expiry" {
		t.Fatalf("decode --json (today): code %d %+v", code, res)
	}
	if _, ok := res.Query["params"]; ok {
		t.Fatal("query repeats params")
	}

	if code, _, errOut := runCLI(t, "", "decode", "not a url"); code != 1 || errOut == "" {
		t.Fatalf("bad URL: %d %q", code, errOut)
	}
	if code, out, _ := runCLI(t, link, "decode", "--as-of", "2022-11-20", "-"); code != 0 || !strings.Contains(out, "valid: 3 legs") {
		t.Fatalf("URL on stdin: %d %q", code, out)
	}
	if code, _, _ := runCLI(t, "", "decode"); code != 2 {
		t.Fatalf("no URL: %d", code)
	}
}

func TestCLIEdgeCases(t *testing.T) {
	bom := writeFile(t, "bom.json", "\xef\xbb\xbf"+documented)
	if code, out, errOut := runCLI(t, "", "validate", "--as-of", "2022-11-20", bom); code != 0 {
		t.Fatalf("a file with a UTF-8 BOM: %d %q %q", code, out, errOut)
	}

	good := writeFile(t, "good.json", documented)
	for _, base := range []string{"not a url", "ftp://x/v2", "https://x/v2?a=1", "https://x/v2#f", "/v2"} {
		if code, _, errOut := runCLI(t, "", "link", "--client-id", "K", "--redirect-uri", "https://x/cb", "--as-of", "2022-11-20", "--base-url", base, good); code != 2 || !strings.Contains(errOut, "--base-url") {
			t.Errorf("--base-url %q: %d %q", base, code, errOut)
		}
	}

	missing := filepath.Join(t.TempDir(), "missing.json")
	code, out, _ := runCLI(t, "", "validate", "--json", "--as-of", "2022-11-20", good, missing)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 2 || len(lines) != 2 || !strings.Contains(lines[1], `"valid":false`) || !strings.Contains(lines[1], "could not read") {
		t.Fatalf("--json with an unreadable file: %d %q", code, out)
	}

	twice := "https://api.tradejini.com/v2/api-gw/oauth/order-connect?client_id=K&state=a&params=%5B%5D&params=x"
	code, out, _ = runCLI(t, "", "decode", "--json", twice)
	if code != 1 || !strings.Contains(out, "params appears 2 times") || strings.Contains(out, `"params":"x"`) {
		t.Fatalf("repeated params: %d %s", code, out)
	}
}
