// Arrays are values (copied on assignment and when passed); slices share
// their backing array.
package main

import "fmt"

func zeroFirstArray(a [3]int) { a[0] = 0 }
func zeroFirstSlice(s []int)  { s[0] = 0 }

func main() {
	arr := [3]int{1, 2, 3}
	copyArr := arr
	copyArr[1] = 99
	zeroFirstArray(arr)
	fmt.Println(arr, copyArr, arr == [3]int{1, 2, 3})

	s := []int{1, 2, 3}
	alias := s
	alias[1] = 99
	zeroFirstSlice(s)
	fmt.Println(s, alias)

	grid := [2][2]string{{"a", "b"}, {"c", "d"}}
	g2 := grid
	g2[0][0] = "z"
	fmt.Println(grid, g2, len(grid))
	auto := [...]int{5, 6, 7, 8}
	fmt.Println(len(auto), auto[1:3])
	var counts [4]int
	for _, v := range []int{1, 3, 3, 0} {
		counts[v]++
	}
	fmt.Println(counts)
}
