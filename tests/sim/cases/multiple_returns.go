// Multiple results, named results with a bare return, and the blank
// identifier.
package main

import (
	"errors"
	"fmt"
)

func divmod(a, b int) (int, int) {
	return a / b, a % b
}

func stats(nums []int) (min, max, sum int) {
	if len(nums) == 0 {
		return
	}
	min, max = nums[0], nums[0]
	for _, n := range nums {
		if n < min {
			min = n
		}
		if n > max {
			max = n
		}
		sum += n
	}
	return
}

func parse(s string) (value int, err error) {
	if s == "" {
		err = errors.New("empty input")
		return
	}
	return len(s), nil
}

func main() {
	q, r := divmod(17, 5)
	fmt.Println(q, r)
	fmt.Println(stats([]int{4, -2, 9}))
	fmt.Println(stats(nil))
	_, err := parse("")
	fmt.Println(err)
	v, _ := parse("four")
	fmt.Println(v)
	x, y := 1, 2
	x, y = y, x
	fmt.Println(x, y)
}
