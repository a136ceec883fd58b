// WithDeadline: a child cannot outlive its parent's deadline, and an
// already-passed deadline gives a context that is done immediately.
package main

import (
	"context"
	"fmt"
	"time"
)

func main() {
	now := time.Now()
	parent, cancel := context.WithDeadline(context.Background(), now.Add(100*time.Millisecond))
	defer cancel()
	child, cancelChild := context.WithDeadline(parent, now.Add(time.Hour))
	defer cancelChild()

	pd, _ := parent.Deadline()
	cd, ok := child.Deadline()
	fmt.Println("child has deadline:", ok, "same as parent:", cd.Equal(pd))
	_, ok = context.Background().Deadline()
	fmt.Println("background has deadline:", ok)

	<-child.Done()
	fmt.Println("child:", child.Err())
	fmt.Println("parent:", parent.Err())

	past, cancelPast := context.WithDeadline(context.Background(), now.Add(-time.Second))
	defer cancelPast()
	select {
	case <-past.Done():
		fmt.Println("past deadline:", past.Err())
	default:
		fmt.Println("past deadline not done")
	}
}
