// Indexing past the end of a slice is a runtime error panic.
package main

import "fmt"

func main() {
	items := []string{"a", "b", "c"}
	i := 5
	defer fmt.Println("deferred still runs")
	fmt.Println("len:", len(items))
	fmt.Println(items[i])
}
