// Go 1.22 added range over an integer: for i := range n counts 0..n-1.
// In go 1.21 mode the program does not compile.
package main

import "fmt"

func main() {
	for i := range 3 {
		fmt.Print(i, " ")
	}
	fmt.Println()
	total := 0
	for range 4 {
		total += 5
	}
	fmt.Println("total:", total)
	n := 0
	for i := range n {
		fmt.Println("never", i)
	}
	var fns []func() int
	for i := range 3 {
		fns = append(fns, func() int { return i * i })
	}
	fmt.Println(fns[0](), fns[1](), fns[2]())
}
