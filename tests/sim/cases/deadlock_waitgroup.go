// Adding more to a WaitGroup than the workers ever mark Done leaves Wait
// blocked forever: a deadlock.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	squares := make([]int, 3)
	wg.Add(3)
	for i := 0; i < 2; i++ {
		go func(i int) {
			defer wg.Done()
			squares[i] = i * i
		}(i)
	}
	fmt.Println("waiting for three workers, only two started")
	wg.Wait()
	fmt.Println("unreachable")
}
