// Bytes and runes: a string is bytes, range decodes runes, conversions
// between string, []byte and []rune.
package main

import "fmt"

func main() {
	s := "héllo, 世界"
	fmt.Println(len(s), len([]rune(s)))
	fmt.Println([]byte("hé"))
	fmt.Println([]rune("hé"))
	fmt.Printf("%s %q %v\n", []byte("go"), []byte("go"), []byte("go"))
	for i, r := range "aé世" {
		fmt.Printf("%d:%c(%d) ", i, r, r)
	}
	fmt.Println()
	fmt.Println(s[1], s[0:1], string(s[3]), string(rune(19990)))
	b := []byte("abc")
	b[0] = 'X'
	fmt.Println(string(b), string([]rune{72, 105}))
	var r rune = 'Z'
	var by byte = 'z'
	fmt.Printf("%T %T %v %v\n", r, by, r, by)
	fmt.Println(string(rune(65)), fmt.Sprint('A'))
}
