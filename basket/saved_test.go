package basket

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// readLegs must read any params exactly as json.Unmarshal reads them: the
// canonical ones in its own pass, everything else through encoding/json.
func TestReadLegsIsUnmarshal(t *testing.T) {
	documentedParams := Validate([]byte(documented), docAsOf).Params
	for _, tc := range []struct {
		name      string
		params    string
		canonical bool // read without encoding/json
	}{
		{"documented", documentedParams, true},
		{"empty", `[]`, true},
		{"empty leg", `[{}]`, true},
		{"numbers", `[{"qty":-0.5e+3,"limitPrice":0,"discQty":12.25,"mktProt":1E-2}]`, true},
		{"utf-8", `[{"symbol":"नि","exch":"NSE"}]`, true},
		{"duplicate key", `[{"exch":"NSE","exch":"BSE"}]`, true},
		{"whitespace", `[ {"exch":"NSE"} ]`, false},
		{"escape", `[{"symbol":"A\"B"}]`, false},
		{"unicode escape", `[{"symbol":"\u0041"}]`, false},
		{"unknown key", `[{"exch":"NSE","note":"x"}]`, false},
		{"other case", `[{"EXCH":"NSE"}]`, false},
		{"number as text", `[{"qty":"10"}]`, false},
		{"text as number", `[{"strike":34000}]`, false},
		{"null", `null`, false},
		{"null leg", `[null]`, false},
		{"not a leg", `[1]`, false},
		{"object", `{"not":"legs"}`, false},
		{"leading zero", `[{"qty":01}]`, false},
		{"bad utf-8", "[{\"symbol\":\"\xff\"}]", false},
		{"trailing comma", `[{"exch":"NSE"},]`, false},
		{"missing comma", `[{"exch":"NSE""symbol":"A"}]`, false},
		{"unclosed", `[{"exch":"NSE"`, false},
		{"trailing data", `[{"exch":"NSE"}]]`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := readCanonical(tc.params); ok != tc.canonical {
				t.Errorf("read canonically: %v, want %v", ok, tc.canonical)
			}
			sameAsUnmarshal(t, tc.params)
		})
	}
}

func sameAsUnmarshal(t *testing.T, params string) {
	t.Helper()
	got, err := readLegs(params)
	var want []Leg
	wantErr := json.Unmarshal([]byte(params), &want)
	if (err != nil) != (wantErr != nil) || (err == nil && !reflect.DeepEqual(got, want)) {
		t.Fatalf("readLegs(%q) = %+v, %v; json.Unmarshal gives %+v, %v", params, got, err, want, wantErr)
	}
	if legs, ok := readCanonical(params); ok && !reflect.DeepEqual(legs, want) {
		t.Fatalf("readCanonical(%q) = %+v; json.Unmarshal gives %+v", params, legs, want)
	}
}

// Leg.field, which the canonical reader fills legs by, is the json tags of Leg.
func TestLegFieldIsItsTags(t *testing.T) {
	var l Leg
	v := reflect.ValueOf(&l).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		p, number := l.field(key)
		if p == nil || reflect.ValueOf(p).Pointer() != v.Field(i).Addr().Pointer() {
			t.Errorf("field(%q) is not Leg.%s", key, f.Name)
		}
		if number != (f.Type == reflect.TypeFor[json.Number]()) {
			t.Errorf("field(%q) says number %v; Leg.%s is %s", key, number, f.Name, f.Type)
		}
	}
	if p, _ := l.field("Exch"); p != nil {
		t.Error("field takes a key in another case")
	}
}

func FuzzReadLegs(f *testing.F) {
	f.Add(Validate([]byte(documented), docAsOf).Params)
	f.Add(`[{"qty":-0.5e+3,"limitPrice":0,"discQty":12.25,"mktProt":1E-2}]`)
	f.Add(`[{"symbol":"A\"B","exch":"\u0041"},{}]`)
	f.Add(`[{"strike":34000,"qty":"10"}]`)
	f.Fuzz(func(t *testing.T, params string) { sameAsUnmarshal(t, params) })
}

func BenchmarkSavedResult(b *testing.B) {
	sv, err := ReadSaved(Validate(basket10, docAsOf).Params)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if res := sv.Result(docAsOf.AsOf); !res.Valid || res.Legs != 10 {
			b.Fatalf("%+v", res.Errors)
		}
	}
}

func TestLive(t *testing.T) {
	for _, tt := range []struct {
		expiry, asOf string
		live         bool
	}{
		{"2026-12-29", "2026-12-28", true},
		{"2026-12-29", "2026-12-29", true}, // traded until the end of its expiry day
		{"2026-12-29", "2026-12-30", false},
		{"2025-12-31", "2026-01-01", false},
		{"", "2026-12-30", true}, // does not expire
	} {
		if got := Live(tt.expiry, tt.asOf); got != tt.live {
			t.Errorf("Live(%q, %q) = %v, want %v", tt.expiry, tt.asOf, got, tt.live)
		}
	}
}
