package basket

import (
	"encoding/json"
	"slices"
)

// Columns returns the keys that any of items has, canonical keys first in
// canonical order, then any other keys in sorted order: the columns of a legs table.
func Columns(items []map[string]any) []string {
	var cols, extra []string
	for _, k := range Keys {
		for _, it := range items {
			if _, ok := it[k]; ok {
				cols = append(cols, k)
				break
			}
		}
	}
	for _, it := range items {
		for k := range it {
			if !slices.Contains(Keys, k) && !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	slices.Sort(extra)
	return append(cols, extra...)
}

// Cell returns the value of key in item as text for a table: strings as they
// are, other values as JSON, "" when absent.
func Cell(item map[string]any, key string) string {
	v, ok := item[key]
	if !ok {
		return ""
	}
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return string(v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return string(b)
}
