// expect: unsupported: struct embedding of an interface at 7:2
package main

import "fmt"

type labelled struct {
	fmt.Stringer
	weight int
}

type name struct{ s string }

func (n name) String() string { return n.s }

func main() {
	l := labelled{Stringer: name{"box"}, weight: 3}
	fmt.Println(l.String(), l.weight)
}
