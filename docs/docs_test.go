// Package docs_test checks the documents in docs/ against the code they describe.
package docs_test

import (
	"encoding/json"
	"os"
	osexec "os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// openAPI reads openapi.yaml as plain JSON values (numbers as float64, like encoding/json).
func openAPI(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	asJSON, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("openapi.yaml is not JSON-shaped: %v", err)
	}
	var out map[string]any
	if err := json.Unmarshal(asJSON, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The API document's leg schema is the project's: one source for the shapes.
func TestOpenAPILegSchemaIsTheProjectsSchema(t *testing.T) {
	doc := openAPI(t)
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	data, err := os.ReadFile("../schema/leg.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var want any
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	got := doc["components"].(map[string]any)["schemas"].(map[string]any)["Leg"]
	if !reflect.DeepEqual(got, want) {
		t.Fatal("components.schemas.Leg in docs/openapi.yaml differs from schema/leg.schema.json: paste the schema file in again (its JSON is valid YAML)")
	}
}

// Every local $ref of the API document points at something.
func TestOpenAPIRefsResolve(t *testing.T) {
	doc := openAPI(t)
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "$ref" {
					refs = append(refs, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	if len(refs) < 10 {
		t.Fatalf("only %d $refs found", len(refs))
	}
	for _, ref := range refs {
		if !strings.HasPrefix(ref, "#/") {
			t.Errorf("$ref %q is not local", ref)
			continue
		}
		var at any = doc
		for _, tok := range strings.Split(ref[2:], "/") {
			tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
			m, ok := at.(map[string]any)
			if !ok || m[tok] == nil {
				t.Errorf("$ref %q does not resolve at %q", ref, tok)
				break
			}
			at = m[tok]
		}
	}
}

var mdLink = regexp.MustCompile(`\]\(([^)#\s]*)(#[^)\s]*)?\)`)

// Every relative link in the README and docs/ names a file that exists.
func TestDocLinksResolve(t *testing.T) {
	files, _ := filepath.Glob("*.md")
	files = append(files, "../README.md")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(data), -1) {
			target := m[1]
			if target == "" || strings.Contains(target, "://") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(f), target)); err != nil {
				t.Errorf("%s links to %s, which does not exist", f, target)
			}
		}
	}
}

// The example systemd unit is one systemd accepts, with the real binary in place.
func TestSystemdUnitVerifies(t *testing.T) {
	analyze, err := osexec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	unit, err := os.ReadFile("basketlink.service")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "basketlink")
	if out, err := osexec.Command("go", "build", "-o", bin, "../cmd/basketlink").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if !strings.Contains(string(unit), "ExecStart=/usr/local/bin/basketlink serve") {
		t.Fatal("the unit's ExecStart is not /usr/local/bin/basketlink serve")
	}
	path := filepath.Join(dir, "basketlink.service")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(unit), "/usr/local/bin/basketlink", bin)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := osexec.Command(analyze, "verify", path).CombinedOutput()
	// verify exits 0 on an unknown key, but says so: any word from it is a failure.
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}

	// The flags the unit passes are ones serve takes.
	execStart := regexp.MustCompile(`(?m)^ExecStart=.*$`).FindString(string(unit))
	for _, flag := range regexp.MustCompile(`--[a-z-]+`).FindAllString(execStart, -1) {
		out, _ := osexec.Command(bin, "serve", flag+"=x", "-h").CombinedOutput()
		if strings.Contains(string(out), "flag provided but not defined") {
			t.Errorf("the unit passes %s, which serve does not take", flag)
		}
	}
}
