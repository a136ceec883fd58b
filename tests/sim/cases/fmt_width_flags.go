// Width, precision and flags: padding left or right, zero padding, signs.
package main

import "fmt"

func main() {
	fmt.Printf("[%5d][%-5d][%05d]\n", 42, 42, 42)
	fmt.Printf("[%5s][%-5s][%.2s]\n", "go", "go", "gopher")
	fmt.Printf("[%05.1f][%8.3f][%-8.2f]\n", 3.14159, 3.14159, 3.14159)
	fmt.Printf("[%+d][%+d][% d]\n", 5, -5, 5)
	fmt.Printf("[%*d][%-*d]\n", 6, 7, 4, 7)
	fmt.Printf("[%6.2f%%]\n", 99.5)
	fmt.Printf("[%10v][%-10v]\n", []int{1, 2}, true)
	fmt.Printf("[%3d]\n", 12345)
	for _, row := range [][2]string{{"name", "score"}, {"ann", "91"}, {"bo", "7"}} {
		fmt.Printf("%-6s|%6s|\n", row[0], row[1])
	}
}
