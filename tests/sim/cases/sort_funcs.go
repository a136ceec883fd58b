// Sorting slices of ints, strings, and structs with sort.Slice; binary
// search in a sorted slice.
package main

import (
	"fmt"
	"sort"
)

type player struct {
	name  string
	score int
}

func main() {
	nums := []int{5, 2, 8, 1, 9}
	sort.Ints(nums)
	fmt.Println(nums, sort.IntsAreSorted(nums))
	words := []string{"pear", "Apple", "fig", "apple"}
	sort.Strings(words)
	fmt.Println(words)
	fmt.Println("index of 8:", sort.SearchInts(nums, 8), "insert 3 at:", sort.SearchInts(nums, 3))
	players := []player{{"ann", 30}, {"bo", 50}, {"cy", 30}, {"di", 10}}
	sort.SliceStable(players, func(i, j int) bool {
		return players[i].score > players[j].score
	})
	fmt.Println(players)
	sort.Slice(players, func(i, j int) bool { return players[i].name > players[j].name })
	fmt.Println(players)
	sort.Sort(sort.Reverse(sort.IntSlice(nums)))
	fmt.Println(nums)
	i := sort.Search(100, func(i int) bool { return i*i >= 50 })
	fmt.Println("smallest i with i*i >= 50:", i)
}
