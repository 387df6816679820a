package handlers

import "testing"

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/inspect":              "/inspect",
		"/inspect?link=x#frag":  "/inspect?link=x#frag",
		"":                      "/",
		"inspect":               "/",
		"//evil.example":        "/",
		"/\\evil.example":       "/",
		"/\t/evil.example":      "/",
		"/\n/evil.example":      "/",
		"/\r/evil.example":      "/",
		"/ /evil.example":       "/",
		"https://evil.example/": "/",
		"/%09/evil.example":     "/%09/evil.example", // stays escaped: a path on this site
		"///evil.example":       "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
