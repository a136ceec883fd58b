// After close, receives return buffered values first, then the zero value
// with ok == false.
package main

import "fmt"

func main() {
	ch := make(chan string, 2)
	ch <- "one"
	ch <- "two"
	close(ch)
	for i := 0; i < 4; i++ {
		v, ok := <-ch
		fmt.Printf("receive %d: %q ok=%t\n", i, v, ok)
	}
}
