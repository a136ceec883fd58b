// recover called from a helper of a deferred function returns nil and does
// not stop the panic: it must be called directly by the deferred function.
package main

import "fmt"

func tryRecover() {
	r := recover()
	fmt.Println("helper recover returned:", r)
}

func main() {
	defer fmt.Println("outer deferred print still runs")
	defer func() {
		tryRecover()
	}()
	fmt.Println("about to panic")
	panic("not stopped")
}
