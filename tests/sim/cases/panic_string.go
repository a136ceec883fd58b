// An unrecovered panic runs the deferred calls, prints "panic: " and the
// value to stderr, and exits with status 2.
package main

import "fmt"

func main() {
	defer fmt.Println("deferred runs before the crash")
	fmt.Println("before panic")
	panic("something went wrong")
}
