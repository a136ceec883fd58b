// A buffered channel used as a semaphore limits how many goroutines run a
// section at once; an atomic tracks the highest concurrency seen.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	const limit = 2
	sem := make(chan struct{}, limit)
	var running, peak int32
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			now := atomic.AddInt32(&running, 1)
			for {
				old := atomic.LoadInt32(&peak)
				if now <= old || atomic.CompareAndSwapInt32(&peak, old, now) {
					break
				}
			}
			time.Sleep(100 * time.Millisecond)
			atomic.AddInt32(&running, -1)
		}()
	}
	wg.Wait()
	fmt.Println("peak concurrency:", atomic.LoadInt32(&peak), "limit:", limit)
	fmt.Println("slots free at the end:", limit-len(sem))
}
