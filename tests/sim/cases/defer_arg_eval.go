// Arguments of a deferred call are evaluated when the defer statement runs,
// not when the deferred call finally executes.
package main

import "fmt"

func show(label string, n int) {
	fmt.Println(label, n)
}

func main() {
	x := 1
	defer show("deferred with argument x =", x)
	x = 2
	defer show("second deferred argument x =", x)
	x = 3
	fmt.Println("main sets x to", x)
}
