package main

import (
	"bytes"
	"os"
	"testing"
)

// TestGeneratedIsCurrent fails when schema/shapes_gen.go is not what the
// generator makes of schema/leg.schema.json today.
func TestGeneratedIsCurrent(t *testing.T) {
	src, err := os.ReadFile("../../schema/leg.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../schema/shapes_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("schema/shapes_gen.go is stale: run `go generate ./schema` and commit it")
	}
}

// TestRefusesUnknownKeywords: a keyword the generator cannot check is an
// error, never a rule silently left out.
func TestRefusesUnknownKeywords(t *testing.T) {
	for _, s := range []string{
		`{"$defs":{"EQT":{"type":"object","properties":{"qty":{"type":"integer","maxLength":3}}}}}`,
		`{"$defs":{"EQT":{"type":"object","properties":{"qty":{"multipleOf":0.05}}}}}`,
		`{"$defs":{"EQT":{"type":"object","additionalProperties":true}}}`,
		`{"$defs":{"EQT":{"type":"object","properties":{"qty":true}}}}`,
	} {
		if _, err := generate([]byte(s)); err == nil {
			t.Errorf("generate accepted %s", s)
		}
	}
}
