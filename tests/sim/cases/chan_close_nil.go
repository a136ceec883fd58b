// Closing a nil channel panics.
package main

import "fmt"

type pipeline struct {
	out chan int
}

func main() {
	p := pipeline{}
	fmt.Println("out is nil:", p.out == nil)
	close(p.out)
}
