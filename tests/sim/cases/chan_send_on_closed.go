// Sending on a closed channel panics.
package main

import "fmt"

func main() {
	ch := make(chan int, 1)
	ch <- 1
	close(ch)
	fmt.Println("received after close:", <-ch)
	ch <- 2
	fmt.Println("unreachable")
}
