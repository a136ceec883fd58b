// expect: unsupported: interface type any at 7:10
package main

import "fmt"

func main() {
	var box any = 42
	n, ok := box.(int)
	fmt.Println(n, ok)
}
