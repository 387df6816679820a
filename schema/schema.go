// Package schema holds the JSON Schema of a basket leg (leg.schema.json) and
// checks one leg against the shape its inst names.
package schema

//go:generate go run ../internal/shapegen -in leg.schema.json -out shapes_gen.go

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

//go:embed leg.schema.json
var legSchema []byte

// Insts are the instruments a leg can be, each with a shape of its own.
var Insts = []string{"EQT", "FUTIDX", "OPTIDX"}

const schemaURL = "https://basketlink.invalid/schema/leg.schema.json"

// shapes maps each inst to its compiled $defs entry; compiled once, at start.
var shapes = compile()

func compile() map[string]*jsonschema.Schema {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	if err := c.AddResource(schemaURL, bytes.NewReader(legSchema)); err != nil {
		panic(fmt.Sprintf("schema: load leg.schema.json: %v", err))
	}
	m := make(map[string]*jsonschema.Schema, len(Insts))
	for _, inst := range Insts {
		m[inst] = c.MustCompile(schemaURL + "#/$defs/" + inst)
	}
	return m
}

// Violation is one way a leg fails its shape.
type Violation struct {
	// Field is the leg key at fault. For "required" it is the missing key; for
	// "additionalProperties" the key that is not allowed; "" for the leg itself.
	Field string
	// Keyword is the schema keyword that failed: type, enum, const, pattern,
	// minimum, exclusiveMinimum, maximum, multipleOf, required,
	// additionalProperties, or "false" for a key the shape forbids outright.
	Keyword string
	// When is "then" or "else" when the keyword sits in an if/then/else on
	// type, telling a limit-order rule from a market-order one.
	When string
}

// Allowed reports whether key belongs to the shape of inst.
func Allowed(inst, key string) bool {
	s, ok := shapes[inst]
	if !ok {
		return false
	}
	_, ok = s.Properties[key]
	return ok
}

// AllowedKeys returns the keys the shape of inst takes, in no particular order.
func AllowedKeys(inst string) []string {
	s, ok := shapes[inst]
	if !ok {
		return nil
	}
	keys := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		keys = append(keys, k)
	}
	return keys
}

// Required reports whether the shape of inst requires key.
func Required(inst, key string) bool {
	s, ok := shapes[inst]
	return ok && slices.Contains(s.Required, key)
}

// Choices returns the values key may take in the shape of inst, when the
// shape lists them (an enum or a const); nil for a free value.
func Choices(inst, key string) []string {
	s, ok := shapes[inst]
	if !ok {
		return nil
	}
	p, ok := s.Properties[key]
	if !ok {
		return nil
	}
	values := p.Enum
	if len(values) == 0 && len(p.Constant) > 0 {
		values = p.Constant[:1]
	}
	var out []string
	for _, v := range values {
		if str, ok := v.(string); ok {
			out = append(out, str)
		}
	}
	return out
}

// Pattern returns the pattern key must match in the shape of inst, nil when
// the shape gives none: so code that reads the same fields from elsewhere
// (an instrument master) holds them to the schema's own pattern.
func Pattern(inst, key string) *regexp.Regexp {
	s, ok := shapes[inst]
	if !ok {
		return nil
	}
	if p, ok := s.Properties[key]; ok {
		return p.Pattern
	}
	return nil
}

// ErrUnknownInst is returned by Validate for an inst with no shape.
var ErrUnknownInst = errors.New("unknown inst")

// Validate checks leg, decoded with json.Decoder.UseNumber, against the shape of
// inst and returns every violation, leaves only. The checks are generated
// from leg.schema.json (shapes_gen.go); the JSON Schema library judges the
// same legs in FuzzGeneratedMatchesLibrary.
func Validate(inst string, leg map[string]any) ([]Violation, error) {
	check, ok := checks[inst]
	if !ok {
		return nil, ErrUnknownInst
	}
	return check(leg, nil), nil
}
