// Integer sizes: large values, overflow wrap-around at run time, and
// conversions between integer types.
package main

import (
	"fmt"
	"strconv"
)

func main() {
	var big int64 = 9223372036854775807
	fmt.Println(big, big+1 < 0)
	var u uint8 = 250
	u += 10
	fmt.Println("uint8 250+10 =", u)
	var i8 int8 = 127
	i8++
	fmt.Println("int8 127+1 =", i8)
	var u64 uint64 = 1<<64 - 1
	fmt.Println(u64, strconv.Itoa(-1<<31))
	n := 70000
	fmt.Println(uint16(n), int8(n), -7/2, -7%3)
	fmt.Printf("%d %x %e\n", 1<<40, 1<<40, float64(1<<62))
	fmt.Println(1_000_000, 0x1F, 0o17, 0b101)
	fmt.Println(7/2, 7.0/2, float64(7)/2, 1<<10)
}
