// A mutex makes the read-modify-write of a shared counter safe across
// many goroutines.
package main

import (
	"fmt"
	"sync"
)

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) inc(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[key]++
}

func main() {
	c := counter{n: map[string]int{}}
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if i%2 == 0 {
				c.inc("even")
			} else {
				c.inc("odd")
			}
			c.inc("total")
		}(i)
	}
	wg.Wait()
	fmt.Println(c.n["even"], c.n["odd"], c.n["total"])
	fmt.Println(c.n)
}
