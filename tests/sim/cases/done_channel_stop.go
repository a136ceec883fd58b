// Closing a done channel broadcasts "stop" to every goroutine selecting on
// it; each worker adds what it handled to a mutex-protected report.
package main

import (
	"fmt"
	"sort"
	"sync"
)

func main() {
	done := make(chan struct{})
	work := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var report []string
	total := 0
	for id := 1; id <= 3; id++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			handled := 0
			for {
				select {
				case <-work:
					handled++
				case <-done:
					mu.Lock()
					report = append(report, fmt.Sprintf("worker %d stopped", id))
					total += handled
					mu.Unlock()
					return
				}
			}
		}(id)
	}
	for i := 0; i < 10; i++ {
		work <- i
	}
	close(done)
	wg.Wait()
	sort.Strings(report)
	for _, line := range report {
		fmt.Println(line)
	}
	fmt.Println("jobs handled in total:", total)
}
