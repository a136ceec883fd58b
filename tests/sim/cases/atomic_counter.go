// sync/atomic counters: no lost updates without a mutex.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

func main() {
	var hits int64
	var typed atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&hits, 2)
			typed.Add(1)
		}()
	}
	wg.Wait()
	fmt.Println("hits:", atomic.LoadInt64(&hits))
	fmt.Println("typed:", typed.Load())
	swapped := atomic.CompareAndSwapInt64(&hits, 200, 0)
	fmt.Println("swapped:", swapped, "hits now:", atomic.LoadInt64(&hits))
	fmt.Println("old value:", typed.Swap(7), "new:", typed.Load())
}
