// Two goroutines take strict turns by passing a token over unbuffered
// channels, so their prints interleave deterministically.
package main

import "fmt"

func player(name string, in <-chan int, out chan<- int, done chan<- bool) {
	for {
		n := <-in
		if n > 5 {
			done <- true
			return
		}
		fmt.Println(name, n)
		out <- n + 1
	}
}

func main() {
	ping, pong := make(chan int), make(chan int)
	done := make(chan bool)
	go player("ping", ping, pong, done)
	go player("pong", pong, ping, done)
	ping <- 1
	<-done
	fmt.Println("game over")
}
