// How nil slices, maps, pointers, errors, channels and funcs print.
package main

import (
	"errors"
	"fmt"
)

type thing struct{ n int }

func find(ok bool) error {
	if ok {
		return nil
	}
	return errors.New("not found")
}

func main() {
	var s []int
	var m map[string]bool
	var p *thing
	var err error
	var ch chan int
	var f func()
	fmt.Println(s, m, p, err, ch, f == nil)
	fmt.Printf("%v %v %v %v\n", s, m, p, err)
	fmt.Printf("%+v %#v %#v %#v\n", p, s, m, p)
	fmt.Printf("%d %s\n", s, s)
	fmt.Println(s == nil, len(s), m == nil, len(m))
	fmt.Println(find(true), find(false))
	fmt.Printf("%T %T %T\n", s, p, err)
}
