// %T prints the dynamic type of a value.
package main

import (
	"errors"
	"fmt"
	"time"
)

type celsius float64
type pair struct{ a, b int }

func main() {
	fmt.Printf("%T %T %T %T %T\n", 1, 1.0, "s", 'r', true)
	fmt.Printf("%T %T %T\n", []int{}, map[string][]bool{}, [2]string{})
	fmt.Printf("%T %T %T\n", celsius(20), pair{}, &pair{})
	fmt.Printf("%T %T\n", make(chan int), make(<-chan string))
	fmt.Printf("%T %T\n", func(int) string { return "" }, main)
	fmt.Printf("%T %T\n", errors.New("e"), fmt.Errorf("w: %w", errors.New("e")))
	fmt.Printf("%T %T\n", time.Second, struct{}{})
	var e error
	fmt.Printf("%T %T %T\n", e, nil, int64(1))
}
