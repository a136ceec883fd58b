// expect: 7:8: expression in defer must be function call
package main

import "fmt"

func main() {
	defer fmt.Println
	fmt.Println("body")
}
