// Closing a channel twice panics; only the sender should close, once.
package main

import "fmt"

func main() {
	done := make(chan struct{})
	close(done)
	fmt.Println("closed once")
	defer fmt.Println("deferred before crash")
	close(done)
}
