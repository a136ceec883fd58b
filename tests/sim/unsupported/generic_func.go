// expect: unsupported: generics at 7:11
package main

import "fmt"

// Type parameters are outside the simulator's subset.
func first[T any](items []T) T {
	return items[0]
}

func main() {
	fmt.Println(first([]int{3, 4}))
}
