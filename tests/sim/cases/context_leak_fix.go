// A request abandoned on timeout leaks its worker if the worker sends on an
// unbuffered channel; a buffer of one (or selecting on ctx.Done) fixes it.
package main

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

func fetch(ctx context.Context, buffered bool) string {
	size := 0
	if buffered {
		size = 1
	}
	result := make(chan string, size)
	go func() {
		time.Sleep(200 * time.Millisecond)
		result <- "data"
	}()
	select {
	case r := <-result:
		return r
	case <-ctx.Done():
		return ctx.Err().Error()
	}
}

func main() {
	for _, buffered := range []bool{false, true} {
		before := runtime.NumGoroutine()
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		fmt.Printf("buffered=%t: %s\n", buffered, fetch(ctx, buffered))
		cancel()
		time.Sleep(400 * time.Millisecond)
		fmt.Println("  goroutines left behind:", runtime.NumGoroutine()-before)
	}
}
