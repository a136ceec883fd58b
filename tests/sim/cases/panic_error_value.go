// Panicking with an error value prints the result of its Error method.
package main

import (
	"errors"
	"fmt"
)

var errConfig = errors.New("config missing")

func load() error {
	return fmt.Errorf("load settings: %w", errConfig)
}

func main() {
	err := load()
	fmt.Println("is errConfig:", errors.Is(err, errConfig))
	panic(err)
}
