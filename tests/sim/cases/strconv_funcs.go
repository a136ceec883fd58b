// strconv conversions between strings and numbers, and its errors.
package main

import (
	"errors"
	"fmt"
	"strconv"
)

func main() {
	n, err := strconv.Atoi("123")
	fmt.Println(n+1, err)
	_, err = strconv.Atoi("12a")
	fmt.Println(err)
	fmt.Println(errors.Is(err, strconv.ErrSyntax))
	_, err = strconv.ParseInt("300", 10, 8)
	fmt.Println(err)
	v, _ := strconv.ParseInt("-ff", 16, 64)
	fmt.Println(v)
	f, _ := strconv.ParseFloat("2.50", 64)
	fmt.Println(f)
	b, err := strconv.ParseBool("true")
	fmt.Println(b, err)
	fmt.Println(strconv.Itoa(-45) + "!")
	fmt.Println(strconv.FormatInt(255, 2), strconv.FormatInt(255, 16))
	fmt.Println(strconv.FormatFloat(3.14159, 'f', 2, 64), strconv.FormatFloat(1e21, 'g', -1, 64))
	fmt.Println(strconv.Quote("tab\there"), strconv.FormatBool(false))
	u, err := strconv.Unquote(`"a\nb"`)
	fmt.Printf("%q %v\n", u, err)
}
