// Fan-in: several producers send into one channel; a WaitGroup closes it
// once all producers are done. The consumer sorts before printing because
// arrival order depends on scheduling.
package main

import (
	"fmt"
	"sort"
	"sync"
)

func main() {
	merged := make(chan string)
	var wg sync.WaitGroup
	for _, src := range []string{"disk", "net", "cache"} {
		wg.Add(1)
		go func(src string) {
			defer wg.Done()
			for i := 1; i <= 2; i++ {
				merged <- fmt.Sprintf("%s-%d", src, i)
			}
		}(src)
	}
	go func() {
		wg.Wait()
		close(merged)
	}()
	var got []string
	for msg := range merged {
		got = append(got, msg)
	}
	sort.Strings(got)
	fmt.Println(len(got), "messages:", got)
}
