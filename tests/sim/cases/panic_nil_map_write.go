// Reading a nil map is fine; writing to it panics.
package main

import "fmt"

func main() {
	var counts map[string]int
	fmt.Println("read from nil map:", counts["x"], len(counts))
	counts["x"] = 1
	fmt.Println("unreachable")
}
