// A deferred function can recover a panic and panic again with a new value.
// The crash report on stderr starts with the first panic, marked
// "[recovered]"; the new panic follows on the next line.
package main

import "fmt"

func step() {
	defer func() {
		r := recover()
		fmt.Println("recovered:", r)
		panic(fmt.Sprintf("step failed: %v", r))
	}()
	panic("first problem")
}

func main() {
	defer fmt.Println("main's defer runs during the second panic")
	step()
	fmt.Println("unreachable")
}
