// expect: 9:1: syntax error: unexpected }, expected expression
package main

import "fmt"

func main() {
	fmt.Println("start")
	x :=
}
