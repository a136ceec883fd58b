// time.NewTimer: Stop reports whether it prevented the timer from firing,
// Reset re-arms it.
package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTimer(time.Hour)
	fmt.Println("stop active timer:", t.Stop())
	fmt.Println("stop again:", t.Stop())
	fmt.Println("reset stopped timer:", t.Reset(50*time.Millisecond))
	<-t.C
	fmt.Println("timer fired")
	fmt.Println("stop fired timer:", t.Stop())
	t.Reset(20 * time.Millisecond)
	select {
	case <-t.C:
		fmt.Println("fired again after reset")
	case <-time.After(time.Second):
		fmt.Println("reset did not work")
	}
}
