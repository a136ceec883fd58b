// Value receivers get a copy; pointer receivers modify the original. Go
// takes the address automatically for addressable values.
package main

import "fmt"

type counter struct {
	name string
	n    int
}

func (c counter) incValue()        { c.n++ }
func (c *counter) incPointer()     { c.n++ }
func (c counter) describe() string { return fmt.Sprintf("%s=%d", c.name, c.n) }

type rect struct{ w, h float64 }

func (r rect) area() float64 { return r.w * r.h }
func (r *rect) scale(f float64) {
	r.w *= f
	r.h *= f
}

func main() {
	c := counter{name: "clicks"}
	c.incValue()
	fmt.Println(c.describe())
	c.incPointer()
	c.incPointer()
	fmt.Println(c.describe())
	p := &c
	p.incValue()
	p.incPointer()
	fmt.Println(p.describe(), c.n)

	shapes := []rect{{1, 2}, {3, 4}}
	for _, r := range shapes {
		r.scale(10)
	}
	fmt.Println(shapes)
	for i := range shapes {
		shapes[i].scale(10)
	}
	fmt.Println(shapes, shapes[1].area())
	f := c.describe
	c.n = 100
	fmt.Println(f())
}
