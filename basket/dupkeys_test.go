package basket

import (
	"fmt"
	"testing"
)

func TestDuplicateKeys(t *testing.T) {
	for in, want := range map[string]string{
		`[{"a":1,"b":2}]`: "map[]",
		`[{"a":1,"a":2}]`: "map[0:[a]]",
		`["x", {"q":1}, 3, [1,{"q":1,"q":2}], {"q":1, "q" :2, "r":{"q":3}, "\u0071":4}]`: "map[4:[q q]]",
		`[{"s":"a\":1,\"s\":"}, {"k":[{"k":1},{"k":2}],"k":0}]`:                          "map[1:[k]]",
		`{"a":1,"a":2}`: "map[]",
		`[]`:            "map[]",
	} {
		got := fmt.Sprint(duplicateKeys([]byte(in)))
		if got != want {
			t.Errorf("duplicateKeys(%s) = %s, want %s", in, got, want)
		}
	}
}
