// time.After in a select bounds how long we wait for a slow operation.
package main

import (
	"fmt"
	"time"
)

func slowQuery(d time.Duration) chan string {
	out := make(chan string, 1)
	go func() {
		time.Sleep(d)
		out <- fmt.Sprintf("answer after %v", d)
	}()
	return out
}

func main() {
	for _, d := range []time.Duration{20 * time.Millisecond, 900 * time.Millisecond} {
		select {
		case res := <-slowQuery(d):
			fmt.Println(res)
		case <-time.After(300 * time.Millisecond):
			fmt.Println("timeout waiting for", d)
		}
	}
}
