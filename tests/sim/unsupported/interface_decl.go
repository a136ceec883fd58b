// expect: unsupported: interface declaration at 6:12
package main

import "fmt"

type shape interface {
	area() float64
}

type square struct{ side float64 }

func (s square) area() float64 { return s.side * s.side }

func main() {
	var s shape = square{2}
	fmt.Println(s.area())
}
