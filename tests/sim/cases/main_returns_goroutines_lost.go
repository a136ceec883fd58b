// When main returns the program ends, even if other goroutines still have
// work to do; their later output never appears.
package main

import (
	"fmt"
	"time"
)

func main() {
	started := make(chan bool)
	go func() {
		fmt.Println("background: started")
		started <- true
		time.Sleep(2 * time.Second)
		fmt.Println("background: finished (never printed)")
	}()
	<-started
	fmt.Println("main: returning")
}
