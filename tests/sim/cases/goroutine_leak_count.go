// Goroutines blocked forever on a channel leak: runtime.NumGoroutine keeps
// counting them after the function that started them returned.
package main

import (
	"fmt"
	"runtime"
	"time"
)

// firstResult starts n workers but takes only one answer; the other n-1
// stay blocked on the unbuffered send forever.
func firstResult(n int) bool {
	results := make(chan int)
	for i := 1; i <= n; i++ {
		go func(v int) {
			results <- v * 10
		}(i)
	}
	return <-results > 0
}

func main() {
	fmt.Println("goroutines at start:", runtime.NumGoroutine())
	fmt.Println("got a result:", firstResult(4))
	// Give the winning worker time to finish exiting.
	time.Sleep(100 * time.Millisecond)
	fmt.Println("goroutines after return:", runtime.NumGoroutine())
}
