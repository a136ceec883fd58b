// expect: unsupported: reflection at 6:2
package main

import (
	"fmt"
	"reflect"
)

func main() {
	fmt.Println(reflect.TypeOf(42).Kind())
}
