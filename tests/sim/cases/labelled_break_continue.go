// Labels let break and continue target an outer loop; a plain break inside
// select or switch only leaves that statement.
package main

import "fmt"

func main() {
	grid := [][]int{{1, 2, 3}, {4, -1, 6}, {7, 8, 9}}
outer:
	for r, row := range grid {
		for c, v := range row {
			if v < 0 {
				fmt.Println("negative at", r, c, "- stop everything")
				break outer
			}
			if v%2 == 0 {
				continue outer
			}
			fmt.Println("odd", v)
		}
	}

	ch := make(chan int, 5)
	for i := 1; i <= 5; i++ {
		ch <- i
	}
	close(ch)
loop:
	for {
		select {
		case v, ok := <-ch:
			if !ok {
				break loop
			}
			if v == 3 {
				break // leaves only the select
			}
			fmt.Println("got", v)
		}
	}
	fmt.Println("done")
}
