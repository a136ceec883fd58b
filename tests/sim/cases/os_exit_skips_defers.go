// os.Exit ends the program immediately with the given status: deferred
// calls do not run.
package main

import (
	"fmt"
	"os"
)

func main() {
	defer fmt.Println("this deferred line is never printed")
	fmt.Println("exiting with code 3")
	os.Exit(3)
}
