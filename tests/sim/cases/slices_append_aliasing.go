// append reuses the backing array while capacity allows, so two slices can
// unexpectedly share elements; a full slice expression limits capacity.
package main

import "fmt"

func main() {
	base := make([]int, 3, 4)
	a := append(base, 1)
	b := append(base, 2)
	fmt.Println("a:", a, "b:", b, "- a changed by second append")

	full := []int{1, 2, 3}
	c := append(full, 4)
	d := append(full, 5)
	fmt.Println("c:", c, "d:", d, "- no spare capacity, separate arrays")

	limited := base[:3:3]
	e := append(limited, 7)
	e[0] = 100
	fmt.Println("base:", base, "e:", e)

	var s []int
	for i := 0; i < 5; i++ {
		s = append(s, i)
	}
	fmt.Println(s, len(s), s[1:4], s[:2], s[3:])
	dst := make([]int, 2)
	n := copy(dst, s)
	fmt.Println("copied", n, dst)
	s = append(s[:1], s[2:]...)
	fmt.Println("after removing index 1:", s, len(s))
}
