// Structs print their fields in order; a pointer to a struct prints as
// &{...}, nested pointers print as addresses (so we avoid those here).
package main

import "fmt"

type inner struct {
	Tags []string
}

type item struct {
	ID    int
	Name  string
	Price float64
	Meta  inner
	Attrs map[string]int
}

func main() {
	it := item{ID: 1, Name: "pen", Price: 1.5, Meta: inner{Tags: []string{"office"}}, Attrs: map[string]int{"w": 2}}
	fmt.Println(it)
	fmt.Printf("%+v\n", it)
	fmt.Printf("%#v\n", it)
	p := &it
	fmt.Println(p)
	fmt.Printf("%+v\n", p)
	fmt.Printf("%T %T\n", it, p)
	var empty item
	fmt.Printf("%v\n%+v\n", empty, empty)
	anon := struct {
		A int
		B string
	}{7, "x"}
	fmt.Printf("%v %+v\n", anon, anon)
}
