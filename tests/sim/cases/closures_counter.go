// Closures capture variables, not values: each generator keeps its own
// state, and functions are first-class values.
package main

import "fmt"

func counterFrom(start int) (next func() int, reset func()) {
	n := start
	next = func() int {
		n++
		return n
	}
	reset = func() { n = start }
	return
}

func apply(nums []int, f func(int) int) []int {
	out := make([]int, 0, len(nums))
	for _, v := range nums {
		out = append(out, f(v))
	}
	return out
}

func main() {
	next, reset := counterFrom(10)
	other, _ := counterFrom(0)
	fmt.Println(next(), next(), other(), next())
	reset()
	fmt.Println(next())
	factor := 3
	triple := func(v int) int { return v * factor }
	factor = 4
	fmt.Println(apply([]int{1, 2, 3}, triple))
	fib := func() func() int {
		a, b := 0, 1
		return func() int {
			a, b = b, a+b
			return a
		}
	}()
	for i := 0; i < 8; i++ {
		fmt.Print(fib(), " ")
	}
	fmt.Println()
}
