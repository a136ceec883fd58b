// Run tasks in parallel, keep the first error, and cancel the others via a
// shared context so they stop early.
package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

func task(ctx context.Context, id int) error {
	if id == 2 {
		time.Sleep(50 * time.Millisecond)
		return fmt.Errorf("task %d: %w", id, errors.New("bad record"))
	}
	select {
	case <-time.After(2 * time.Second):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	var firstErr error
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for id := 1; id <= 4; id++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			errs[id-1] = task(ctx, id)
			if errs[id-1] != nil {
				once.Do(func() { firstErr = errs[id-1]; cancel() })
			}
		}(id)
	}
	wg.Wait()
	fmt.Println("first error:", firstErr)
	for i, err := range errs {
		fmt.Printf("task %d -> %v\n", i+1, err)
	}
}
