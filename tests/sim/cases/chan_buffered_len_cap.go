// A buffered channel accepts sends without a receiver until it is full;
// len reports queued values and cap the buffer size.
package main

import "fmt"

func main() {
	queue := make(chan int, 3)
	fmt.Println("len", len(queue), "cap", cap(queue))
	queue <- 10
	queue <- 20
	fmt.Println("len", len(queue), "cap", cap(queue))
	fmt.Println("first out:", <-queue)
	fmt.Println("len", len(queue), "cap", cap(queue))
	var none chan int
	fmt.Println("nil channel len", len(none), "cap", cap(none))
	unbuffered := make(chan int)
	fmt.Println("unbuffered cap", cap(unbuffered))
}
