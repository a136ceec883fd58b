// sync.Mutex is not reentrant: locking it twice in the same goroutine
// blocks forever.
package main

import (
	"fmt"
	"sync"
)

type store struct {
	mu    sync.Mutex
	items []string
}

func (s *store) add(item string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(s.items, item)
	fmt.Println("added", item, "count", s.count())
}

func (s *store) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}

func main() {
	s := &store{}
	fmt.Println("adding")
	s.add("x")
}
