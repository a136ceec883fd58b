// expect: 7:1: syntax error: unexpected semicolon or newline before {
package main

import "fmt"

func main()
{
	fmt.Println("brace must be on the same line")
}
