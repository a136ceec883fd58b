// expect: unsupported: cgo at 5:8
package main

// #include <stdlib.h>
import "C"

import "fmt"

func main() {
	fmt.Println(C.abs(-3))
}
