// Wrapping with fmt.Errorf("%w") keeps the original error reachable by
// errors.Is; %v only copies its text.
package main

import (
	"errors"
	"fmt"
)

var ErrNotFound = errors.New("not found")

func lookup(key string) error {
	if key == "" {
		return errors.New("empty key")
	}
	return fmt.Errorf("lookup %q: %w", key, ErrNotFound)
}

func handler(key string) error {
	if err := lookup(key); err != nil {
		return fmt.Errorf("handler: %w", err)
	}
	return nil
}

func main() {
	err := handler("user42")
	fmt.Println(err)
	fmt.Println("is not found:", errors.Is(err, ErrNotFound))
	flat := fmt.Errorf("flattened: %v", ErrNotFound)
	fmt.Println(flat, "| is not found:", errors.Is(flat, ErrNotFound))
	fmt.Println("unwrap once:", errors.Unwrap(err))
	fmt.Println("same text, different error:", errors.Is(errors.New("not found"), ErrNotFound))
	fmt.Println(handler(""), errors.Is(nil, ErrNotFound))
}
