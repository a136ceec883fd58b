// sync.Once runs its function exactly once, however many goroutines call
// Do; later calls wait until the first has finished.
package main

import (
	"fmt"
	"sync"
)

var (
	once     sync.Once
	settings map[string]int
	loads    int
)

func loadSettings() {
	loads++
	settings = map[string]int{"workers": 4}
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(loadSettings)
		}()
	}
	wg.Wait()
	once.Do(func() { fmt.Println("never printed") })
	fmt.Println("loads:", loads, "workers:", settings["workers"])
}
