// A pipeline: generate -> square -> sum, each stage a goroutine that closes
// its output when its input is exhausted.
package main

import "fmt"

func generate(n int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 1; i <= n; i++ {
			out <- i
		}
	}()
	return out
}

func square(in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for v := range in {
			out <- v * v
		}
	}()
	return out
}

func main() {
	total := 0
	for v := range square(square(generate(4))) {
		fmt.Println("stage output:", v)
		total += v
	}
	fmt.Println("total:", total)
}
