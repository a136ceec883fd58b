// sync.RWMutex: many readers may hold RLock together; a writer waits for
// all of them and excludes everyone.
package main

import (
	"fmt"
	"sync"
)

type config struct {
	mu     sync.RWMutex
	values map[string]string
}

func (c *config) get(k string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.values[k]
}

func (c *config) set(k, v string) {
	c.mu.Lock()
	c.values[k] = v
	c.mu.Unlock()
}

func main() {
	c := &config{values: map[string]string{"mode": "dev"}}
	c.mu.RLock()
	c.mu.RLock()
	fmt.Println("two readers hold the lock together")
	c.mu.RUnlock()
	c.mu.RUnlock()

	var wg sync.WaitGroup
	reads := make([]string, 4)
	for i := range reads {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			reads[i] = c.get("mode")
		}(i)
	}
	wg.Wait()
	c.set("mode", "prod")
	fmt.Println("reads:", reads, "now:", c.get("mode"))
}
