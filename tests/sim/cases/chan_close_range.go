// range over a channel receives until the channel is closed and drained.
package main

import "fmt"

func produce(n int) <-chan int {
	out := make(chan int, 2)
	go func() {
		defer close(out)
		for i := 1; i <= n; i++ {
			out <- i * i
		}
	}()
	return out
}

func main() {
	sum := 0
	for v := range produce(5) {
		fmt.Println("got", v)
		sum += v
	}
	fmt.Println("sum", sum)
}
