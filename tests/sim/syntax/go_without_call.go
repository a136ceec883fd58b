// expect: 7:5: expression in go must be function call
package main

import "time"

func main() {
	go func() {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond)
}
