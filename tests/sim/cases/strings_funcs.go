// A tour of the strings package.
package main

import (
	"fmt"
	"strconv"
	"strings"
)

func main() {
	s := "  Go is fun, go is fast  "
	t := strings.TrimSpace(s)
	fmt.Printf("%q\n", t)
	fmt.Println(strings.ToUpper(t), "|", strings.ToLower(t))
	fmt.Println(strings.Contains(t, "fun"), strings.HasPrefix(t, "Go"), strings.HasSuffix(t, "!"))
	fmt.Println(strings.Index(t, "is"), strings.LastIndex(t, "is"), strings.Index(t, "zz"))
	fmt.Println(strings.Count(t, "is"), strings.Count("five", ""))
	fmt.Printf("%q\n", strings.Split("a,b,,c", ","))
	fmt.Printf("%q\n", strings.Fields(" one  two\tthree\n"))
	fmt.Println(strings.Join([]string{"x", "y", "z"}, "-"))
	fmt.Println(strings.Replace("aaaa", "a", "b", 2), strings.ReplaceAll("aaaa", "a", "b"))
	fmt.Println(strings.Repeat("ab", 3), strings.IndexByte("abc", 'c'))
	fmt.Printf("%q %q\n", strings.Trim("--x--", "-"), strings.TrimPrefix("prefix-body", "prefix-"))
	fmt.Println(strings.EqualFold("Go", "GO"), strings.Compare("a", "b"))
	var b strings.Builder
	for i := 0; i < 3; i++ {
		b.WriteString(strconv.Itoa(i) + ";")
	}
	b.WriteString("end")
	fmt.Println(b.String(), b.Len())
	before, after, found := strings.Cut("key=value", "=")
	fmt.Println(before, after, found)
}
