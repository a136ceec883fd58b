// %x %X for integers, strings and byte slices; %c and %U for runes; %b %o.
package main

import "fmt"

func main() {
	fmt.Printf("%x %X %#x %08b %o %#o\n", 255, 255, 255, 5, 8, 8)
	fmt.Printf("%x|% x|%X\n", "Go!", "Go!", []byte{1, 171, 255})
	fmt.Printf("%c %c %c\n", 'G', 0x4E16, 'é')
	fmt.Printf("%U %#U\n", 'é', '⌘')
	fmt.Printf("%q %q\n", 'a', '\n')
	fmt.Printf("%x\n", -255)
	fmt.Printf("%d %v\n", 'A', byte('A'))
}
