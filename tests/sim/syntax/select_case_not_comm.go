// expect: 9:9: select case must be send or receive (possibly with assignment)
package main

import "fmt"

func main() {
	ch := make(chan int, 1)
	select {
	case x > 1:
		fmt.Println("not a send or receive")
	case v := <-ch:
		fmt.Println(v)
	}
}
