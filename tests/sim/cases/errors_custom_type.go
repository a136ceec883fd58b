// A named struct with an Error method is an error; a nil pointer of that
// type stored in an error interface is NOT a nil error.
package main

import (
	"errors"
	"fmt"
)

type validationError struct {
	field string
}

func (v *validationError) Error() string {
	return "invalid " + v.field
}

func validate(name string) error {
	var verr *validationError
	if name == "" {
		verr = &validationError{field: "name"}
	}
	return verr
}

func validateFixed(name string) error {
	if name == "" {
		return &validationError{field: "name"}
	}
	return nil
}

func main() {
	fmt.Println(validate(""), validateFixed(""))
	fmt.Println("validate(ok) == nil:", validate("ann") == nil)
	fmt.Println("validateFixed(ok) == nil:", validateFixed("ann") == nil)
	wrapped := fmt.Errorf("form: %w", validateFixed(""))
	fmt.Println(wrapped, errors.Unwrap(wrapped) != nil)
}
