// A fixed pool of workers reads jobs from one channel and writes results to
// another; results are collected by index so the output order is fixed.
package main

import (
	"fmt"
	"sync"
)

type job struct {
	index int
	input string
}

func main() {
	inputs := []string{"go", "rust", "c", "zig", "java", "ml"}
	jobs := make(chan job)
	results := make([]int, len(inputs))
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results[j.index] = len(j.input)
			}
		}()
	}
	for i, in := range inputs {
		jobs <- job{index: i, input: in}
	}
	close(jobs)
	wg.Wait()
	for i, in := range inputs {
		fmt.Printf("%-5s -> %d\n", in, results[i])
	}
}
