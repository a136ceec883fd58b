// Closures appended to a slice inside a loop: per-loop variable before
// Go 1.22 (all print the final value), per-iteration from Go 1.22.
package main

import "fmt"

func main() {
	var printers []func()
	for i := 0; i < 3; i++ {
		printers = append(printers, func() { fmt.Print(i, " ") })
	}
	for _, p := range printers {
		p()
	}
	fmt.Println()

	var ptrs []*string
	for _, s := range []string{"x", "y", "z"} {
		ptrs = append(ptrs, &s)
	}
	fmt.Println(*ptrs[0], *ptrs[1], *ptrs[2], ptrs[0] == ptrs[2])
}
