// Deferred calls run in last-in, first-out order when the function returns.
package main

import "fmt"

func work() {
	for i := 1; i <= 3; i++ {
		defer fmt.Println("deferred", i)
	}
	fmt.Println("body done")
}

func main() {
	work()
	fmt.Println("back in main")
}
