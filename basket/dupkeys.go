package basket

import (
	"bytes"
	"encoding/json"
	"slices"
)

// duplicateKeys scans params and returns, for each leg (an element of the
// top-level array), the keys its object holds more than once. encoding/json
// keeps the last value of a repeated key silently; a broker may keep the
// first, so a repeated key is an error, not a guess. The scan assumes data is
// valid JSON: call it only after a successful decode.
func duplicateKeys(data []byte) map[int][]string {
	var (
		out      map[int][]string
		depth    int
		leg      = -1
		wantElem bool     // at depth 1, the next value starts a leg
		inObject bool     // the current leg is an object
		seen     [][]byte // its keys so far: a leg has a dozen, so a slice beats a map
	)
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		if depth == 1 && wantElem && c != ']' {
			leg++
			wantElem = false
			inObject = c == '{'
			seen = seen[:0]
		}
		switch c {
		case '"':
			start := i
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			if depth != 2 || !inObject {
				continue
			}
			// A string directly inside a leg object is a key when a colon follows.
			j := i + 1
			for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r') {
				j++
			}
			if j >= len(data) || data[j] != ':' {
				continue
			}
			key := data[start+1 : i]
			if bytes.IndexByte(key, '\\') >= 0 { // compare escaped keys by what they spell
				var k string
				if json.Unmarshal(data[start:i+1], &k) != nil {
					continue
				}
				key = []byte(k)
			}
			if slices.ContainsFunc(seen, func(s []byte) bool { return bytes.Equal(s, key) }) {
				if out == nil {
					out = map[int][]string{}
				}
				out[leg] = append(out[leg], string(key))
			}
			seen = append(seen, key)
		case '[', '{':
			depth++
			if depth == 1 {
				wantElem = true
			}
		case ']', '}':
			depth--
		case ',':
			if depth == 1 {
				wantElem = true
			}
		}
	}
	return out
}
