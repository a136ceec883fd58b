// Every form of for: three-clause, condition only, infinite with break,
// range over slice, string, map (sorted), channel, and index-only range.
package main

import (
	"fmt"
	"sort"
)

func main() {
	for i := 0; i < 3; i++ {
		fmt.Print(i)
	}
	fmt.Println()
	n := 1
	for n < 100 {
		n *= 3
	}
	fmt.Println("n:", n)
	count := 0
	for {
		count++
		if count == 4 {
			break
		}
	}
	fmt.Println("count:", count)
	for i := range []string{"a", "b"} {
		fmt.Print(i)
	}
	for i, s := range []string{"x", "y"} {
		fmt.Print(" ", i, s)
	}
	fmt.Println()
	for i, r := range "hé!" {
		fmt.Print(i, string(r), " ")
	}
	fmt.Println()
	ages := map[string]int{"bo": 3, "al": 5}
	names := []string{}
	for k := range ages {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Println(names)
	ch := make(chan int, 3)
	ch <- 7
	ch <- 8
	close(ch)
	for v := range ch {
		fmt.Print(v, " ")
	}
	fmt.Println()
	for i, j := 0, 10; i < j; i, j = i+1, j-3 {
		fmt.Print(i, ",", j, " ")
	}
	fmt.Println()
}
