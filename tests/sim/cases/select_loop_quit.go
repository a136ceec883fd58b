// A for-select loop driven by a ticker, stopped by a quit channel after a
// fixed number of ticks.
package main

import (
	"fmt"
	"time"
)

func main() {
	ticker := time.NewTicker(30 * time.Millisecond)
	defer ticker.Stop()
	quit := make(chan struct{})
	count := 0
	for {
		select {
		case <-ticker.C:
			count++
			fmt.Println("tick", count)
			if count == 3 {
				close(quit)
			}
		case <-quit:
			fmt.Println("quit after", count, "ticks")
			return
		}
	}
}
