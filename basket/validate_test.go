package basket

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// documented is the three-leg example of Tradejini's order-connect
// documentation, byte for byte; it is also its own canonical form.
const documented = `[{"exch":"NSE","symbol":"ACC","series":"EQ","inst":"EQT","qty":10,"side":"buy","type":"limit","product":"intraday","limitPrice":2700.55,"validity":"day"},{"exch":"NFO","symbol":"NIFTY","expiry":"2022-11-24","inst":"FUTIDX","qty":2000,"side":"sell","type":"market","product":"intraday","limitPrice":0,"validity":"ioc","discQty":500},{"exch":"NFO","symbol":"BANKNIFTY","expiry":"2022-11-24","optType":"PE","inst":"OPTIDX","strike":"34000","qty":1500,"side":"buy","type":"market","product":"delivery","limitPrice":0,"validity":"day","mktProt":5}]`

var docAsOf = Options{AsOf: time.Date(2022, 11, 20, 0, 0, 0, 0, time.UTC)}

// docLegs returns the documented legs as maps, fresh for each call.
func docLegs(t testing.TB) []map[string]any {
	t.Helper()
	var legs []map[string]any
	dec := json.NewDecoder(strings.NewReader(documented))
	dec.UseNumber()
	if err := dec.Decode(&legs); err != nil {
		t.Fatal(err)
	}
	return legs
}

// set is a change to one leg of the documented basket: a value, or del to remove the key.
type set struct {
	leg   int
	key   string
	value any
}

var del = struct{ deleted bool }{true}

func TestValidateRules(t *testing.T) {
	n := func(s string) json.Number { return json.Number(s) }
	tests := []struct {
		name    string
		changes []set
		want    string // the one error pointer expected, "" for valid
		msg     string // a part of its message
	}{
		{name: "documented example", want: ""},

		// exch
		{"EQT on BSE", []set{{0, "exch", "BSE"}}, "", ""},
		{"EQT on NFO", []set{{0, "exch", "NFO"}}, "/0/exch", "NSE or BSE"},
		{"FUTIDX on NSE", []set{{1, "exch", "NSE"}}, "/1/exch", "must be NFO"},
		{"OPTIDX on BSE", []set{{2, "exch", "BSE"}}, "/2/exch", "must be NFO"},
		{"exch missing", []set{{0, "exch", del}}, "/0/exch", "required"},
		{"exch lower case", []set{{0, "exch", "nse"}}, "/0/exch", "NSE or BSE"},

		// symbol
		{"symbol with & and -", []set{{0, "symbol", "M&M-X_1"}}, "", ""},
		{"symbol lower case", []set{{0, "symbol", "acc"}}, "/0/symbol", "A-Z"},
		{"symbol 30 chars", []set{{0, "symbol", strings.Repeat("A", 30)}}, "", ""},
		{"symbol 31 chars", []set{{0, "symbol", strings.Repeat("A", 31)}}, "/0/symbol", "1 to 30"},
		{"symbol empty", []set{{1, "symbol", ""}}, "/1/symbol", "1 to 30"},
		{"symbol missing", []set{{2, "symbol", del}}, "/2/symbol", "required"},
		{"symbol number", []set{{0, "symbol", n("500")}}, "/0/symbol", "must be a string"},

		// series
		{"series BE", []set{{0, "series", "BE"}}, "", ""},
		{"series missing on EQT", []set{{0, "series", del}}, "/0/series", "series is required on EQT legs"},
		{"series 4 chars", []set{{0, "series", "EQUI"}}, "/0/series", "1 to 3"},
		{"series on FUTIDX", []set{{1, "series", "EQ"}}, "/1/series", "not allowed on FUTIDX"},
		{"series on OPTIDX", []set{{2, "series", "EQ"}}, "/2/series", "not allowed on OPTIDX"},

		// expiry
		{"expiry on EQT", []set{{0, "expiry", "2022-11-24"}}, "/0/expiry", "not allowed on EQT"},
		{"expiry missing on FUTIDX", []set{{1, "expiry", del}}, "/1/expiry", "required"},
		{"expiry missing on OPTIDX", []set{{2, "expiry", del}}, "/2/expiry", "required"},
		{"expiry 30 February", []set{{1, "expiry", "2023-02-30"}}, "/1/expiry", "not a real calendar date"},
		{"expiry month 13", []set{{1, "expiry", "2023-13-01"}}, "/1/expiry", "not a real calendar date"},
		{"expiry Saturday", []set{{1, "expiry", "2022-11-26"}}, "/1/expiry", "Saturday"},
		{"expiry Sunday", []set{{2, "expiry", "2022-11-27"}}, "/2/expiry", "Sunday"},
		{"expiry before as-of", []set{{1, "expiry", "2022-11-18"}}, "/1/expiry", "contract expired"},
		{"expiry on the as-of date", []set{{1, "expiry", "2022-11-21"}}, "", ""},
		{"expiry written DD-MM-YYYY", []set{{1, "expiry", "24-11-2022"}}, "/1/expiry", "YYYY-MM-DD"},
		{"expiry with a time", []set{{1, "expiry", "2022-11-24T00:00:00Z"}}, "/1/expiry", "YYYY-MM-DD"},

		// optType
		{"optType CE", []set{{2, "optType", "CE"}}, "", ""},
		{"optType missing on OPTIDX", []set{{2, "optType", del}}, "/2/optType", "required"},
		{"optType lower case", []set{{2, "optType", "pe"}}, "/2/optType", `"CE" or "PE"`},
		{"optType on FUTIDX", []set{{1, "optType", "CE"}}, "/1/optType", "not allowed on FUTIDX"},
		{"optType on EQT", []set{{0, "optType", "CE"}}, "/0/optType", "not allowed on EQT"},

		// inst
		{"inst missing", []set{{0, "inst", del}}, "/0/inst", "inst is required"},
		{"inst unknown", []set{{1, "inst", "FUTSTK"}}, "/1/inst", "EQT, FUTIDX or OPTIDX"},
		{"inst lower case", []set{{0, "inst", "eqt"}}, "/0/inst", "EQT, FUTIDX or OPTIDX"},
		{"inst a number", []set{{0, "inst", n("1")}}, "/0/inst", "EQT, FUTIDX or OPTIDX"},

		// strike
		{"strike with a decimal", []set{{2, "strike", "172.5"}}, "", ""},
		{"strike with 2 decimals", []set{{2, "strike", "34000.25"}}, "", ""},
		{"strike below 1", []set{{2, "strike", "0.05"}}, "", ""},
		{"strike as a number", []set{{2, "strike", n("34000")}}, "/2/strike", "must be a string"},
		{"strike 3 decimals", []set{{2, "strike", "172.555"}}, "/2/strike", "at most 2 decimals"},
		{"strike leading zero", []set{{2, "strike", "034000"}}, "/2/strike", "no leading zero"},
		{"strike signed", []set{{2, "strike", "+34000"}}, "/2/strike", "no sign"},
		{"strike negative", []set{{2, "strike", "-34000"}}, "/2/strike", "positive"},
		{"strike zero", []set{{2, "strike", "0"}}, "/2/strike", "positive"},
		{"strike trailing dot", []set{{2, "strike", "34000."}}, "/2/strike", "positive"},
		{"strike missing on OPTIDX", []set{{2, "strike", del}}, "/2/strike", "required"},
		{"strike on FUTIDX", []set{{1, "strike", "34000"}}, "/1/strike", "not allowed on FUTIDX"},

		// qty
		{"qty 1", []set{{0, "qty", n("1")}}, "", ""},
		{"qty as a string", []set{{0, "qty", "10"}}, "/0/qty", `must be a whole number, not "10"`},
		{"qty zero", []set{{0, "qty", n("0")}}, "/0/qty", "at least 1"},
		{"qty negative", []set{{0, "qty", n("-5")}}, "/0/qty", "at least 1"},
		{"qty fractional", []set{{0, "qty", n("1.5")}}, "/0/qty", "whole number"},
		{"qty missing", []set{{1, "qty", del}}, "/1/qty", "required"},
		{"qty absurd", []set{{0, "qty", n("1e999999")}}, "/0/qty", "out of range"},

		// side, type, product, validity
		{"side upper case", []set{{0, "side", "BUY"}}, "/0/side", `"buy" or "sell" (lower case)`},
		{"side missing", []set{{0, "side", del}}, "/0/side", "required"},
		{"type upper case", []set{{0, "type", "LIMIT"}}, "/0/type", `"limit" or "market"`},
		{"type stop-loss", []set{{1, "type", "sl"}}, "/1/type", `"limit" or "market"`},
		{"type missing", []set{{0, "type", del}}, "/0/type", "required"},
		{"product CNC", []set{{0, "product", "CNC"}}, "/0/product", `"intraday" or "delivery"`},
		{"product missing", []set{{2, "product", del}}, "/2/product", "required"},
		{"validity GTC", []set{{0, "validity", "GTC"}}, "/0/validity", `"day" or "ioc"`},
		{"validity missing", []set{{0, "validity", del}}, "/0/validity", "required"},

		// limitPrice
		{"limit price with 1 decimal", []set{{0, "limitPrice", n("2700.5")}}, "", ""},
		{"limit price with trailing zero", []set{{0, "limitPrice", n("2700.550")}}, "", ""},
		{"limit order at price 0", []set{{0, "limitPrice", n("0")}}, "/0/limitPrice", "limit orders need a limitPrice above 0"},
		{"limit price 3 decimals", []set{{0, "limitPrice", n("1523.405")}}, "/0/limitPrice", "at most 2 decimals"},
		{"limit price negative", []set{{0, "limitPrice", n("-1")}}, "/0/limitPrice", "above 0"},
		{"limit price as a string", []set{{0, "limitPrice", "2700.55"}}, "/0/limitPrice", "must be a number"},
		{"limit price missing", []set{{0, "limitPrice", del}}, "/0/limitPrice", "required"},
		{"market order with a price", []set{{1, "limitPrice", n("100")}}, "/1/limitPrice", "market orders need a limitPrice of exactly 0"},
		{"market order at 0.00", []set{{1, "limitPrice", n("0.00")}}, "", ""},
		{"market order turned limit", []set{{1, "type", "limit"}}, "/1/limitPrice", "limit orders need a limitPrice above 0"},
		{"limit order turned market", []set{{0, "type", "market"}}, "/0/limitPrice", "exactly 0"},

		// discQty
		{"discQty equal to qty", []set{{1, "discQty", n("2000")}}, "", ""},
		{"discQty zero", []set{{1, "discQty", n("0")}}, "", ""},
		{"discQty on EQT", []set{{0, "discQty", n("5")}}, "", ""},
		{"discQty above qty", []set{{1, "discQty", n("2001")}}, "/1/discQty", "cannot be more than qty (2000)"},
		{"discQty negative", []set{{1, "discQty", n("-1")}}, "/1/discQty", "0 or more"},
		{"discQty fractional", []set{{1, "discQty", n("2.5")}}, "/1/discQty", "whole number"},
		{"discQty as a string", []set{{1, "discQty", "500"}}, "/1/discQty", "whole number"},

		// mktProt
		{"mktProt 100", []set{{2, "mktProt", n("100")}}, "", ""},
		{"mktProt 0.5", []set{{2, "mktProt", n("0.5")}}, "", ""},
		{"mktProt on FUTIDX market", []set{{1, "mktProt", n("2")}}, "", ""},
		{"mktProt zero", []set{{2, "mktProt", n("0")}}, "/2/mktProt", "above 0"},
		{"mktProt above 100", []set{{2, "mktProt", n("100.01")}}, "/2/mktProt", "at most 100"},
		{"mktProt on a limit order", []set{{0, "mktProt", n("5")}}, "/0/mktProt", "only allowed on market orders"},
		{"mktProt as a string", []set{{2, "mktProt", "5"}}, "/2/mktProt", "must be a number"},

		// keys
		{"unknown key", []set{{0, "price", n("5")}}, "/0/price", `"price" is not a leg field`},
		{"key with a slash", []set{{0, "a/b", n("5")}}, "/0/a~1b", "not a leg field"},
		{"null value", []set{{0, "series", nil}}, "/0/series", "not null"},
		{"empty key", []set{{0, "", n("2")}}, "/0/", `"" is not a leg field`},
		{"unknown key with a huge number", []set{{0, "foo", n("1e400")}}, "/0/foo", `"foo" is not a leg field`},
		{"mktProt over 100 on a limit order", []set{{0, "mktProt", n("500")}}, "/0/mktProt", "only allowed on market orders"},
		{"limit price far too precise", []set{{0, "limitPrice", n("1e-40")}}, "/0/limitPrice", "at most 2 decimals"},
		{"qty far too precise", []set{{0, "qty", n("1e-40")}}, "/0/qty", "whole number"},

		// No hidden caps: a number is judged by its exact value.
		{"mktProt 1e-31 is a positive number", []set{{1, "mktProt", n("1e-31")}}, "", ""},
		{"mktProt 1e-1001 is a tiny positive number", []set{{1, "mktProt", n("1e-1001")}}, "", ""},
		{"mktProt 0.000000000000000000000000000000001", []set{{1, "mktProt", n("0.000000000000000000000000000000001")}}, "", ""},
		{"mktProt 0e5000 is zero", []set{{1, "mktProt", n("0e5000")}}, "/1/mktProt", "above 0"},
		{"limitPrice 0e5000 on a market order is 0", []set{{1, "limitPrice", n("0e5000")}}, "", ""},
		{"limitPrice -0.000E+999999999999 on a market order is 0", []set{{1, "limitPrice", n("-0.000E+999999999999")}}, "", ""},
		{"limitPrice 1e-3", []set{{0, "limitPrice", n("1e-3")}}, "/0/limitPrice", "at most 2 decimals"},
		{"limitPrice 123456789012345678.5", []set{{0, "limitPrice", n("123456789012345678.5")}}, "", ""},
		{"qty of 20 digits", []set{{0, "qty", n("12345678901234567890")}}, "", ""},
		{"discQty above a 20-digit qty", []set{{0, "qty", n("12345678901234567890")}, {0, "discQty", n("12345678901234567891")}}, "/0/discQty", "cannot be more than qty"},
		{"discQty 1e19 within qty 2e19", []set{{0, "qty", n("2e19")}, {0, "discQty", n("1e19")}}, "", ""},
		{"qty longer than a link", []set{{0, "qty", n("1e9000")}}, "/0/qty", "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			legs := docLegs(t)
			for _, c := range tt.changes {
				if c.value == del {
					delete(legs[c.leg], c.key)
				} else {
					legs[c.leg][c.key] = c.value
				}
			}
			data, err := json.Marshal(legs)
			if err != nil {
				t.Fatal(err)
			}
			res := Validate(data, docAsOf)
			if tt.want == "" {
				if !res.Valid || len(res.Errors) != 0 {
					t.Fatalf("want valid, got %+v", res.Errors)
				}
				return
			}
			if res.Valid {
				t.Fatalf("want an error at %s, got valid", tt.want)
			}
			if len(res.Errors) != 1 {
				t.Fatalf("want exactly one error at %s, got %d: %+v", tt.want, len(res.Errors), res.Errors)
			}
			e := res.Errors[0]
			if e.Pointer != tt.want {
				t.Errorf("pointer = %q, want %q (message %q)", e.Pointer, tt.want, e.Message)
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message = %q, want it to contain %q", e.Message, tt.msg)
			}
			if e.Leg == nil || *e.Leg != tt.changes[0].leg {
				t.Errorf("leg = %v, want %d", e.Leg, tt.changes[0].leg)
			}
			if wantField := strings.SplitN(tt.want, "/", 3)[2]; e.Field != strings.ReplaceAll(wantField, "~1", "/") {
				t.Errorf("field = %q, want %q", e.Field, wantField)
			}
			assertHuman(t, e.Message)
		})
	}
}

// assertHuman fails when a message reads like a schema keyword dump.
func assertHuman(t *testing.T, msg string) {
	t.Helper()
	for _, raw := range []string{"multipleOf", "exclusiveMinimum", "additionalProperties", "missing properties", "if-then", "jsonschema", "expected ", "but got", "does not match pattern", "$defs", "#/"} {
		if strings.Contains(msg, raw) {
			t.Errorf("message %q reads like a schema dump (%q)", msg, raw)
		}
	}
}

func TestValidateBasket(t *testing.T) {
	leg := `{"exch":"NSE","symbol":"ACC","series":"EQ","inst":"EQT","qty":10,"side":"buy","type":"limit","product":"intraday","limitPrice":1,"validity":"day"}`
	legs := func(n int) string { return "[" + strings.TrimSuffix(strings.Repeat(leg+",", n), ",") + "]" }
	tests := []struct {
		name, body string
		opts       Options
		legs       int
		want       []string // pointers, in order
		msg        string   // part of the first message
	}{
		{"object, not array", `{"exch":"NSE"}`, docAsOf, 0, []string{""}, "must be a JSON array"},
		{"string, not array", `"[]"`, docAsOf, 0, []string{""}, "must be a JSON array"},
		{"null", `null`, docAsOf, 0, []string{""}, "must be a JSON array"},
		{"empty input", ``, docAsOf, 0, []string{""}, "empty"},
		{"not JSON", `[{"exch":}]`, docAsOf, 0, []string{""}, "not valid JSON"},
		{"truncated", `[{"exch":"NSE"`, docAsOf, 0, []string{""}, "ends before"},
		{"two arrays", legs(1) + legs(1), docAsOf, 0, []string{""}, "nothing after it"},
		{"empty array", `[]`, docAsOf, 0, []string{""}, "at least 1 leg"},
		{"one leg", legs(1), docAsOf, 1, nil, ""},
		{"20 legs", legs(20), docAsOf, 20, nil, ""},
		{"21 legs", legs(21), docAsOf, 21, []string{""}, "at most 20 legs; this one has 21"},
		{"max-legs 2", legs(3), Options{AsOf: docAsOf.AsOf, MaxLegs: 2}, 3, []string{""}, "at most 2 legs"},
		{"max-legs 50", legs(25), Options{AsOf: docAsOf.AsOf, MaxLegs: 50}, 25, nil, ""},
		{"URL too long", legs(50), Options{AsOf: docAsOf.AsOf, MaxLegs: 100}, 50, []string{""}, "8000-byte limit"},
		{"non-object leg", "[" + leg + `,"ACC",[1],null]`, docAsOf, 4, []string{"/1", "/2", "/3"}, "must be a JSON object"},
		{"every error at once, in order", `[{"inst":"EQT","qty":0,"side":"BUY"},7]`, docAsOf, 2,
			[]string{"/0/exch", "/0/symbol", "/0/series", "/0/qty", "/0/side", "/0/type", "/0/product", "/0/limitPrice", "/0/validity", "/1"}, "exch is required"},
		{"whitespace around", " \n" + legs(1) + "\n ", docAsOf, 1, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Validate([]byte(tt.body), tt.opts)
			if res.Legs != tt.legs {
				t.Errorf("legs = %d, want %d", res.Legs, tt.legs)
			}
			var got []string
			for _, e := range res.Errors {
				got = append(got, e.Pointer)
				assertHuman(t, e.Message)
				if e.Pointer == "" && (e.Leg != nil || e.Field != "") {
					t.Errorf("root error carries leg/field: %+v", e)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("pointers = %q, want %q (%+v)", got, tt.want, res.Errors)
			}
			if res.Valid != (len(tt.want) == 0) {
				t.Fatalf("valid = %v with errors %+v", res.Valid, res.Errors)
			}
			if tt.msg != "" && !strings.Contains(res.Errors[0].Message, tt.msg) {
				t.Errorf("message = %q, want it to contain %q", res.Errors[0].Message, tt.msg)
			}
		})
	}
}

func TestDocumentedExampleIsCanonical(t *testing.T) {
	res := Validate([]byte(documented), docAsOf)
	if !res.Valid {
		t.Fatalf("documented example invalid: %+v", res.Errors)
	}
	if res.Params != documented {
		t.Fatalf("canonical params differ from the documentation:\n got %s\nwant %s", res.Params, documented)
	}
	if res.Legs != 3 || len(res.Parsed) != 3 || res.Parsed[2].Strike != "34000" || res.Parsed[1].DiscQty != "500" {
		t.Fatalf("parsed legs wrong: %+v", res.Parsed)
	}
	file, err := os.ReadFile("testdata/documented.json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(file)) != documented {
		t.Fatal("testdata/documented.json drifted from the documented example")
	}
}

func TestCanonicalForm(t *testing.T) {
	// Keys out of order, spaces, and numbers written the long way.
	in := `[ {"validity":"day", "limitPrice": 2700.550, "product":"intraday","type":"limit","side":"buy",
	        "qty": 1e1, "inst":"EQT","series":"EQ","symbol":"M&M","exch":"NSE","discQty":5.0},
	       {"mktProt":5.00,"limitPrice":0.00,"validity":"day","product":"delivery","type":"market","side":"buy",
	        "qty":1500,"strike":"34000","inst":"OPTIDX","optType":"PE","expiry":"2022-11-24","symbol":"BANKNIFTY","exch":"NFO"}]`
	want := `[{"exch":"NSE","symbol":"M&M","series":"EQ","inst":"EQT","qty":10,"side":"buy","type":"limit","product":"intraday","limitPrice":2700.55,"validity":"day","discQty":5},` +
		`{"exch":"NFO","symbol":"BANKNIFTY","expiry":"2022-11-24","optType":"PE","inst":"OPTIDX","strike":"34000","qty":1500,"side":"buy","type":"market","product":"delivery","limitPrice":0,"validity":"day","mktProt":5}]`
	res := Validate([]byte(in), docAsOf)
	if !res.Valid {
		t.Fatalf("invalid: %+v", res.Errors)
	}
	if res.Params != want {
		t.Fatalf("params:\n got %s\nwant %s", res.Params, want)
	}
	again := Validate([]byte(res.Params), docAsOf)
	if !again.Valid || again.Params != want {
		t.Fatalf("canonical params do not round-trip: %+v %s", again.Errors, again.Params)
	}
}

func TestShortestNumber(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "-0": "0", "0.00": "0", "5": "5", "5.0": "5", "2700.55": "2700.55", "2700.550": "2700.55",
		"1e1": "10", "1E+2": "100", "25e-1": "2.5", "0.05": "0.05", "5e-2": "0.05", "100.10": "100.1", "-1.50": "-1.5",
	} {
		if got := canonicalNumber(json.Number(in)); string(got) != want {
			t.Errorf("canonicalNumber(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestAsOfDefaultsToTodayInKolkata(t *testing.T) {
	today := Today()
	friday := today
	for friday.Weekday() != time.Friday {
		friday = friday.AddDate(0, 0, 1)
	}
	body := fmt.Sprintf(`[{"exch":"NFO","symbol":"NIFTY","expiry":%q,"inst":"FUTIDX","qty":50,"side":"buy","type":"market","product":"intraday","limitPrice":0,"validity":"day"}]`, friday.Format(time.DateOnly))
	if res := Validate([]byte(body), Options{}); !res.Valid {
		t.Fatalf("a contract expiring %s should be live today: %+v", friday.Format(time.DateOnly), res.Errors)
	}
	yesterday := strings.Replace(body, friday.Format(time.DateOnly), friday.AddDate(0, 0, -7).Format(time.DateOnly), 1)
	if res := Validate([]byte(yesterday), Options{}); res.Valid || !strings.Contains(res.Errors[0].Message, "contract expired") {
		t.Fatalf("last week's contract should have expired: %+v", res.Errors)
	}
}

func TestValidateDoesNotChangeItsInput(t *testing.T) {
	body := []byte(`[{"inst":"EQT","qty":1e999999}]`)
	res := Validate(body, docAsOf)
	if res.Items[0]["qty"] != json.Number("1e999999") {
		t.Fatalf("Items changed the value the caller gave: %v", res.Items[0]["qty"])
	}
}

func TestTypeErrorHidesRulesThatHangOnType(t *testing.T) {
	legs := docLegs(t)
	legs[0]["type"] = "LIMIT"
	legs[0]["mktProt"] = json.Number("5")
	legs[0]["limitPrice"] = json.Number("0")
	data, _ := json.Marshal(legs)
	res := Validate(data, docAsOf)
	if len(res.Errors) != 1 || res.Errors[0].Pointer != "/0/type" {
		t.Fatalf("want only the type error, got %+v", res.Errors)
	}
}

func TestDuplicateKeyIsAnError(t *testing.T) {
	for _, body := range []string{
		strings.Replace(documented, `"qty":10,`, `"qty":-1,"qty":10,`, 1),
		strings.Replace(documented, `"qty":10,`, `"qty":10,"qty":-1,`, 1),
	} {
		res := Validate([]byte(body), docAsOf)
		if res.Valid || len(res.Errors) != 1 || res.Errors[0].Pointer != "/0/qty" || !strings.Contains(res.Errors[0].Message, "more than once") {
			t.Errorf("%s\n=> %+v", body[:120], res.Errors)
		}
	}
}

// TestErrorJSONField: every error about a leg's key carries "field", the empty
// key "" too; root and whole-leg errors carry none.
func TestErrorJSONField(t *testing.T) {
	res := Validate([]byte(`[{"inst":"EQT","":1}, 5]`), docAsOf)
	out, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Errors []map[string]any `json:"errors"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range got.Errors {
		p := e["pointer"].(string)
		_, hasField := e["field"]
		wantField := strings.Count(p, "/") == 2
		if hasField != wantField {
			t.Errorf("error %v: field present %v, want %v", e, hasField, wantField)
		}
		seen[p] = true
	}
	if !seen["/0/"] || e0Field(got.Errors) != "" {
		t.Fatalf("no error with field \"\" at /0/: %s", out)
	}
	if !seen["/1"] {
		t.Fatalf("no whole-leg error at /1: %s", out)
	}
}

func e0Field(errs []map[string]any) any {
	for _, e := range errs {
		if e["pointer"] == "/0/" {
			return e["field"]
		}
	}
	return nil
}
