// Goroutines started in a loop that capture the loop variable: before Go
// 1.22 all share one variable; from 1.22 each iteration has its own.
package main

import (
	"fmt"
	"sort"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var seen []string
	start := make(chan struct{})
	for _, name := range []string{"a", "b", "c"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Wait until the loop is over so the result does not depend on
			// scheduling: only on the language version.
			<-start
			mu.Lock()
			seen = append(seen, name)
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	sort.Strings(seen)
	fmt.Println("goroutines saw:", seen)
}
