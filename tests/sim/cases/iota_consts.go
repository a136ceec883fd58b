// const blocks with iota: enumerations, skipped values, bit flags, and
// typed constants of a named integer type.
package main

import "fmt"

type weekday int

const (
	sunday weekday = iota
	monday
	tuesday
)

var dayNames = [...]string{"Sun", "Mon", "Tue"}

const (
	_  = iota
	kb = 1 << (10 * iota)
	mb
	gb
)

const (
	flagRead = 1 << iota
	flagWrite
	flagExec
)

const a, b = iota, iota + 10

func main() {
	fmt.Println(sunday, monday, tuesday, dayNames[tuesday])
	fmt.Printf("%T %v\n", monday, monday+1)
	fmt.Println(kb, mb, gb)
	perms := flagRead | flagExec
	fmt.Printf("%03b read=%t write=%t\n", perms, perms&flagRead != 0, perms&flagWrite != 0)
	fmt.Println(a, b)
	const big = 1 << 100
	fmt.Println(big >> 98)
}
