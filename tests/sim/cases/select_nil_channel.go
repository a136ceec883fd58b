// A nil channel blocks forever, so setting a channel variable to nil
// disables its case in a select: a common way to merge two streams.
package main

import "fmt"

func numbers(vals ...int) chan int {
	ch := make(chan int)
	go func() {
		for _, v := range vals {
			ch <- v
		}
		close(ch)
	}()
	return ch
}

func main() {
	a, b := numbers(1, 2, 3), numbers(10, 20)
	sum, count, closed := 0, 0, 0
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				closed++
				a = nil
				continue
			}
			sum, count = sum+v, count+1
		case v, ok := <-b:
			if !ok {
				closed++
				b = nil
				continue
			}
			sum, count = sum+v, count+1
		}
	}
	fmt.Println("closed", closed, "channels")
	fmt.Println("received", count, "values, sum", sum)
}
