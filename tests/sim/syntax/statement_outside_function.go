// expect: 6:1: syntax error: non-declaration statement outside function body
package main

import "fmt"

count := 0

func main() {
	fmt.Println(count)
}
