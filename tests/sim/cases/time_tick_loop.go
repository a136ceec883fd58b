// time.Tick delivers values periodically; count ticks and stop after five.
package main

import (
	"fmt"
	"time"
)

func main() {
	ticks := 0
	for range time.Tick(20 * time.Millisecond) {
		ticks++
		fmt.Println("tick", ticks)
		if ticks == 5 {
			break
		}
	}
	fmt.Println("done after", ticks, "ticks")
}
