// Dereferencing a nil pointer to a struct panics with a runtime error.
package main

import "fmt"

type node struct {
	value int
	next  *node
}

func main() {
	list := &node{value: 1, next: &node{value: 2}}
	for n := list; n != nil; n = n.next {
		fmt.Println("value", n.value)
	}
	fmt.Println("third:", list.next.next.value)
}
