// expect: unsupported: network at 6:2
package main

import (
	"fmt"
	"net"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	fmt.Println(ln != nil, err)
}
