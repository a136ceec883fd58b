// expect: unsupported: type switch at 15:2
package main

import (
	"errors"
	"fmt"
)

type codeError struct{ code int }

func (c codeError) Error() string { return fmt.Sprint("code ", c.code) }

func main() {
	var err error = codeError{7}
	switch e := err.(type) {
	case codeError:
		fmt.Println("code", e.code)
	default:
		fmt.Println(errors.Unwrap(e))
	}
}
