// expect: unsupported: generics at 6:11
package main

import "fmt"

type stack[T any] struct {
	items []T
}

func main() {
	s := stack[string]{}
	fmt.Println(len(s.items))
}
