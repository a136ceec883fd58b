// Cancelling a parent context cancels every context derived from it, but
// cancelling a child leaves the parent alone.
package main

import (
	"context"
	"fmt"
)

func main() {
	parent, cancelParent := context.WithCancel(context.Background())
	childA, cancelA := context.WithCancel(parent)
	childB, cancelB := context.WithCancel(parent)
	defer cancelB()

	fmt.Println("before:", parent.Err(), childA.Err(), childB.Err())
	cancelA()
	fmt.Println("after cancelA:", parent.Err(), childA.Err(), childB.Err())
	cancelParent()
	<-childB.Done()
	fmt.Println("after cancelParent:", parent.Err(), childA.Err(), childB.Err())
	fmt.Println("background err:", context.Background().Err())
}
