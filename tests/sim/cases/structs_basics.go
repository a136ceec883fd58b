// Struct literals, zero values, comparison, anonymous structs and structs
// as map values (which must be copied out to modify).
package main

import "fmt"

type point struct{ X, Y int }

type line struct {
	From, To point
	Label    string
}

func main() {
	var zero line
	fmt.Printf("%+v\n", zero)
	l := line{From: point{1, 2}, To: point{X: 3}, Label: "edge"}
	fmt.Println(l, l.From.X+l.To.X)
	fmt.Println(point{1, 2} == point{1, 2}, l.From == l.To)

	pts := map[string]point{"a": {1, 1}}
	p := pts["a"]
	p.X = 9
	pts["a"] = p
	fmt.Println(pts)

	cfg := struct {
		Debug bool
		Level int
	}{Level: 2}
	fmt.Printf("%v %+v\n", cfg, cfg)
	people := []struct {
		name string
		age  int
	}{{"al", 30}, {"bo", 25}}
	for _, pp := range people {
		fmt.Print(pp.name, ":", pp.age, " ")
	}
	fmt.Println()
}
