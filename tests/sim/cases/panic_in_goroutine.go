// A panic in any goroutine that is not recovered kills the whole program,
// even though main itself never panics; main's defers do not run.
package main

import "fmt"

func main() {
	defer fmt.Println("main's defer does not run")
	done := make(chan bool)
	go func() {
		defer fmt.Println("worker's defer runs")
		fmt.Println("worker started")
		var m map[int]int
		m[1] = 1
		done <- true
	}()
	<-done
	fmt.Println("unreachable")
}
