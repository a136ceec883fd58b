// Goroutines that sleep for different durations wake up in order of their
// deadlines, regardless of start order.
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var order []string
	delays := map[string]int{"slow": 300, "fast": 100, "medium": 200}
	for _, name := range []string{"slow", "fast", "medium"} {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			time.Sleep(time.Duration(delays[name]) * time.Millisecond)
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
		}(name)
	}
	wg.Wait()
	fmt.Println("wake order:", order)
}
