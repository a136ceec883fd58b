// Float formatting: shortest representation for %v, fixed precision with
// %f, exponent form for very large or small values.
package main

import "fmt"

func main() {
	a, b := 0.1, 0.2
	fmt.Println("0.1+0.2 at run time:", a+b)
	fmt.Println("0.1+0.2 as constants:", 0.1+0.2)
	fmt.Println(3.0, 2.5, -0.0, 1.0/3.0)
	fmt.Println(1e20, 1e21, 123456789.0, 1e-4, 1e-5)
	fmt.Println(100000.0, 123456.0, 1234567.0, 1e6, 1234567.5)
	fmt.Printf("%f|%.2f|%.0f|%.3f\n", 3.14159, 3.14159, 2.5, 1.0/3)
	fmt.Printf("%e|%g|%G\n", 123456.789, 1e21, 1e-7)
	fmt.Printf("%v %v\n", float32(0.1), float64(float32(0.1)))
	fmt.Printf("%6.2f|%-8.3f|%+.1f\n", 3.14159, 2.0, 5.0)
	var zero float64
	fmt.Println(1/zero, -1/zero, zero/zero == zero/zero)
	fmt.Printf("%T %T\n", 1.5, float32(1.5))
}
