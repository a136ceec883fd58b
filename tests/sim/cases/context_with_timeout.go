// A worker that watches ctx.Done() stops when the timeout expires; ctx.Err()
// then reports context.DeadlineExceeded.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func work(ctx context.Context, steps int) error {
	for i := 1; i <= steps; i++ {
		select {
		case <-ctx.Done():
			return fmt.Errorf("stopped before step %d: %w", i, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
	return nil
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	err := work(ctx, 10)
	fmt.Println(err)
	fmt.Println("deadline exceeded:", errors.Is(err, context.DeadlineExceeded))
	fmt.Println("canceled:", errors.Is(err, context.Canceled))

	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Second)
	fmt.Println("short job:", work(ctx2, 2))
	cancel2()
	fmt.Println("after cancel:", ctx2.Err())
}
