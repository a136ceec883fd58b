// Go 1.22 three-clause loops: each iteration gets a fresh copy of i, made
// BEFORE the post statement runs, so a closure keeps the value i had at the
// end of its own iteration body (changes in the body included).
package main

import "fmt"

func main() {
	var seen []func() int
	for i := 0; i < 6; i++ {
		seen = append(seen, func() int { return i })
		i++ // the body changes i too: the loop advances by two
	}
	for _, f := range seen {
		fmt.Print(f(), " ")
	}
	fmt.Println()

	// A closure from iteration 0 changes "its" i during iteration 1: before
	// 1.22 that is the loop's only variable, so iterations are skipped.
	var bump func()
	for i := 0; i < 5; i++ {
		fmt.Print(i, " ")
		if i == 0 {
			bump = func() { i += 2 }
		}
		if i == 1 {
			bump()
		}
	}
	fmt.Println()
}
