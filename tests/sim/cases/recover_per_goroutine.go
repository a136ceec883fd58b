// Each goroutine must recover its own panics; a recovered worker reports
// the problem over a channel instead of crashing the program.
package main

import "fmt"

func worker(id int, results chan<- string) {
	defer func() {
		if r := recover(); r != nil {
			results <- fmt.Sprintf("worker %d recovered: %v", id, r)
		}
	}()
	if id == 2 {
		panic("bad input")
	}
	results <- fmt.Sprintf("worker %d ok", id)
}

func main() {
	results := make(chan string)
	for id := 1; id <= 3; id++ {
		go worker(id, results)
		fmt.Println(<-results)
	}
}
