// select with a default case never blocks: try-send and try-receive.
package main

import "fmt"

func trySend(ch chan int, v int) bool {
	select {
	case ch <- v:
		return true
	default:
		return false
	}
}

func main() {
	ch := make(chan int, 2)
	for v := 1; v <= 3; v++ {
		fmt.Println("send", v, "accepted:", trySend(ch, v))
	}
	for i := 0; i < 3; i++ {
		select {
		case v := <-ch:
			fmt.Println("received", v)
		default:
			fmt.Println("nothing ready")
		}
	}
}
