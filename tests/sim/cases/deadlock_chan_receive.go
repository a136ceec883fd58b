// Receiving from a channel nobody will ever send on: once every goroutine
// is blocked the runtime reports a fatal deadlock (exit status 2).
package main

import "fmt"

func main() {
	results := make(chan int)
	finished := make(chan bool)
	go func() {
		fmt.Println("worker forgot to send")
		finished <- true
	}()
	<-finished
	fmt.Println("main waiting for a result")
	fmt.Println(<-results)
}
