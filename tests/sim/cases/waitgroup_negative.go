// Calling Done more often than Add makes the counter negative: a panic.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	wg.Add(1)
	wg.Done()
	fmt.Println("balanced Add/Done is fine")
	wg.Done()
	fmt.Println("unreachable")
}
