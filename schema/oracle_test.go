package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// libraryValidate is the oracle: the JSON Schema library judging leg against
// the shape of inst from leg.schema.json, its errors turned into violations
// the way Validate reports them.
func libraryValidate(t testing.TB, inst string, leg map[string]any) []Violation {
	s := shapes[inst]
	err := s.Validate(leg)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("library: %v", err)
	}
	var out []Violation
	collect(s, leg, ve, &out)
	return out
}

func collect(s *jsonschema.Schema, leg map[string]any, ve *jsonschema.ValidationError, out *[]Violation) {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			collect(s, leg, c, out)
		}
		return
	}
	segs := strings.Split(ve.KeywordLocation, "/")
	keyword := segs[len(segs)-1]
	when := ""
	for _, seg := range segs {
		if seg == "then" || seg == "else" {
			when = seg
		}
	}
	field := strings.TrimPrefix(ve.InstanceLocation, "/")
	if i := strings.IndexByte(field, '/'); i >= 0 {
		field = field[:i] // a value nested inside a key is that key's fault
	}
	field = strings.NewReplacer("~1", "/", "~0", "~").Replace(field)
	switch keyword {
	case "required":
		for _, k := range s.Required {
			if _, ok := leg[k]; !ok {
				*out = append(*out, Violation{Field: k, Keyword: keyword})
			}
		}
	case "additionalProperties":
		for k := range leg {
			if _, ok := s.Properties[k]; !ok {
				*out = append(*out, Violation{Field: k, Keyword: keyword})
			}
		}
	default:
		if len(segs) >= 2 && segs[len(segs)-2] == "properties" {
			keyword = "false" // a property whose schema is false: the key is forbidden here
		}
		*out = append(*out, Violation{Field: field, Keyword: keyword, When: when})
	}
}

func sortedViolations(v []Violation) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%s:%s:%s", x.Field, x.Keyword, x.When)
	}
	slices.Sort(s)
	return strings.Join(s, " ")
}

// hugeExponent reports whether v holds a number whose exponent would make the
// library's exact arithmetic take unbounded time (basket refuses such
// numbers before they reach Validate).
func hugeExponent(v any) bool {
	switch v := v.(type) {
	case json.Number:
		if i := strings.IndexAny(string(v), "eE"); i >= 0 {
			e, err := strconv.Atoi(strings.TrimPrefix(string(v)[i+1:], "+"))
			return err != nil || e > 400 || e < -400
		}
	case []any:
		return slices.ContainsFunc(v, hugeExponent)
	case map[string]any:
		for _, e := range v {
			if hugeExponent(e) {
				return true
			}
		}
	}
	return false
}

const documentedLegs = `[{"exch":"NSE","symbol":"ACC","series":"EQ","inst":"EQT","qty":10,"side":"buy","type":"limit","product":"intraday","limitPrice":2700.55,"validity":"day"},{"exch":"NFO","symbol":"NIFTY","expiry":"2022-11-24","inst":"FUTIDX","qty":2000,"side":"sell","type":"market","product":"intraday","limitPrice":0,"validity":"ioc","discQty":500},{"exch":"NFO","symbol":"BANKNIFTY","expiry":"2022-11-24","optType":"PE","inst":"OPTIDX","strike":"34000","qty":1500,"side":"buy","type":"market","product":"delivery","limitPrice":0,"validity":"day","mktProt":5}]`

// FuzzGeneratedMatchesLibrary checks that the generated checks and the JSON
// Schema library find the same violations (field, keyword, limit or market
// rule) in any leg, against every shape.
func FuzzGeneratedMatchesLibrary(f *testing.F) {
	var legs []json.RawMessage
	if err := json.Unmarshal([]byte(documentedLegs), &legs); err != nil {
		f.Fatal(err)
	}
	for _, l := range legs {
		f.Add([]byte(l))
	}
	for _, s := range []string{
		`{"exch":5,"symbol":"a b","series":"EQQQ","inst":"EQT","qty":1.5,"side":"BUY","type":"limit","product":"x","limitPrice":-0.001,"validity":"gtc","discQty":-1,"mktProt":0}`,
		`{"inst":"OPTIDX","strike":"0.05","mktProt":1e-1,"qty":-0,"type":"market","limitPrice":0.00}`,
		`{"inst":"FUTIDX","type":"market","limitPrice":"0","mktProt":100.000001,"qty":1e2,"discQty":2.0,"expiry":"2022-1-1"}`,
		`{"inst":"EQT","type":["market"],"limitPrice":{"a":1},"mktProt":null,"x":true,"a/b~c":1}`,
		`{"type":"limit","limitPrice":0,"mktProt":5,"strike":"01","optType":"ce","symbol":"` + strings.Repeat("A", 31) + `"}`,
		`{"type":"market","limitPrice":1e-3,"mktProt":1E2,"qty":12345678901234567890123}`,
		`{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var leg map[string]any
		if dec.Decode(&leg) != nil || leg == nil || hugeExponent(leg) {
			return
		}
		for _, inst := range Insts {
			got, err := Validate(inst, leg)
			if err != nil {
				t.Fatal(err)
			}
			want := libraryValidate(t, inst, leg)
			if g, w := sortedViolations(got), sortedViolations(want); g != w {
				t.Fatalf("%s leg %s\ngenerated: %s\nlibrary:   %s", inst, data, g, w)
			}
		}
	})
}
