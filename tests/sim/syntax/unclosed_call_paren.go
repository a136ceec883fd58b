// expect: 7:22: syntax error: unexpected newline in argument list; possibly missing comma or )
package main

import "fmt"

func main() {
	fmt.Println("a", "b"
	fmt.Println("c")
}
