// expect: unsupported: goto at 11:3
package main

import "fmt"

func main() {
	i := 0
retry:
	i++
	if i < 3 {
		goto retry
	}
	fmt.Println("tries:", i)
}
