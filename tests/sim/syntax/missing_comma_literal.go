// expect: 9:8: syntax error: unexpected newline in composite literal; possibly missing comma or }
package main

import "fmt"

func main() {
	names := []string{
		"ann",
		"bob"
	}
	fmt.Println(names)
}
