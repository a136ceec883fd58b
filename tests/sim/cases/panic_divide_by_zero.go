// Integer division by a zero variable panics at run time.
package main

import "fmt"

func average(total, n int) int {
	return total / n
}

func main() {
	fmt.Println("average:", average(10, 2))
	fmt.Println("average:", average(10, 0))
}
