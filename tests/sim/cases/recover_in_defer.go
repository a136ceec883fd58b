// recover stops a panic only when called directly by a deferred function;
// the panicking function then returns normally with its named results.
package main

import "fmt"

func safeDivide(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return a / b, nil
}

func main() {
	fmt.Println("recover outside a panic:", recover())
	q, err := safeDivide(10, 2)
	fmt.Println(q, err)
	q, err = safeDivide(1, 0)
	fmt.Println(q, err)
	fmt.Println("main continues")
}
