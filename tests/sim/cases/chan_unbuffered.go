// An unbuffered channel hands values over one at a time: each send waits
// for the matching receive.
package main

import "fmt"

func main() {
	ping := make(chan string)
	pong := make(chan string)
	go func() {
		for i := 1; i <= 3; i++ {
			msg := <-ping
			pong <- fmt.Sprintf("%s-%d", msg, i)
		}
	}()
	for _, word := range []string{"a", "b", "c"} {
		ping <- word
		fmt.Println("reply:", <-pong)
	}
}
