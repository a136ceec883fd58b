// Maps: insert, lookup with comma-ok, delete, length, and iterating in a
// deterministic order by sorting the keys.
package main

import (
	"fmt"
	"sort"
	"strings"
)

func main() {
	words := strings.Fields("the cat and the dog and the bird")
	freq := map[string]int{}
	for _, w := range words {
		freq[w]++
	}
	fmt.Println(len(freq), freq["the"], freq["fish"])
	if _, ok := freq["fish"]; !ok {
		fmt.Println("fish not present")
	}
	delete(freq, "cat")
	delete(freq, "never-there")
	keys := make([]string, 0, len(freq))
	for k := range freq {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s=%d ", k, freq[k])
	}
	fmt.Println()

	nested := map[string]map[string]bool{}
	if nested["a"] == nil {
		nested["a"] = map[string]bool{}
	}
	nested["a"]["x"] = true
	fmt.Println(nested, nested["b"]["y"])
	type key struct{ x, y int }
	grid := map[key]string{{1, 2}: "p"}
	fmt.Println(grid[key{1, 2}], grid)
}
