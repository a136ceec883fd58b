// Printing composite values: slices, nested slices, arrays and maps (maps
// are printed with sorted keys, so the output is stable).
package main

import "fmt"

func main() {
	fmt.Println([]int{1, 2, 3}, [3]bool{true}, []string{"a b", "c"})
	fmt.Println([][]int{{1, 2}, {3}, {}})
	m := map[string]int{"zeta": 26, "alpha": 1, "mid": 13}
	fmt.Println(m)
	fmt.Printf("%v|%+v|%#v\n", m, m, m)
	fmt.Println(map[int][]string{3: {"c"}, 1: {"a", "b"}})
	fmt.Println(map[bool]int{true: 1, false: 0})
	fmt.Printf("%q\n", []string{"x", "y z"})
	fmt.Printf("%d %x\n", []int{10, 11}, []int{10, 11})
	fmt.Printf("%#v\n", [][]int{{1}, nil})
	fmt.Println(len(m), []int{}, map[string]int{})
}
