// The general verbs: %v, %+v, %#v, %T, plus %d %s %q %t for basic values.
package main

import "fmt"

type point struct {
	X, Y int
	name string
}

func main() {
	p := point{X: 1, Y: -2, name: "origin"}
	fmt.Printf("%v\n", p)
	fmt.Printf("%+v\n", p)
	fmt.Printf("%#v\n", p)
	fmt.Printf("%T\n", p)
	fmt.Printf("%d %d\n", 42, -7)
	fmt.Printf("%s|%q\n", "go", "say \"hi\"\n")
	fmt.Printf("%t %v\n", true, false)
	fmt.Printf("%v %v %v\n", 'x', "x", []string{"a", "b"})
	fmt.Printf("%#v %#v %#v\n", "s", 3, []int{1, 2})
	fmt.Printf("%%d of a string: %d\n", "oops")
	fmt.Printf("missing: %d %s\n", 1)
	fmt.Printf("extra: %d;", 1, 2)
	fmt.Println()
	fmt.Print(fmt.Sprint("a", "b", 1, 2, "c"), "|", fmt.Sprintln("x", 3))
}
