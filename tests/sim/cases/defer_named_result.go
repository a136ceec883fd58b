// A deferred closure can change a named result after the return statement
// has assigned it.
package main

import (
	"errors"
	"fmt"
)

func double(n int) (result int) {
	defer func() { result *= 2 }()
	return n + 1
}

func save(fail bool) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("save failed: %w", err)
		}
	}()
	if fail {
		return errors.New("disk full")
	}
	return nil
}

func main() {
	fmt.Println("double(4) =", double(4))
	fmt.Println("save(false) =", save(false))
	fmt.Println("save(true) =", save(true))
}
