// Forgetting Close leaks a descriptor per call; the count keeps growing
// until the files are finally closed.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

func openFDs() int {
	entries, _ := os.ReadDir("/proc/self/fd")
	return len(entries)
}

func firstByte(path string) (byte, *os.File) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil
	}
	buf := make([]byte, 1)
	f.Read(buf)
	return buf[0], f // the caller "forgets" to close f
}

func main() {
	dir, _ := os.MkdirTemp("", "strata-leak-*")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "x.txt")
	os.WriteFile(path, []byte("xyz"), 0o644)

	before := openFDs()
	var leaked []*os.File
	for i := 0; i < 3; i++ {
		b, f := firstByte(path)
		leaked = append(leaked, f)
		fmt.Printf("read %c, leaked so far: +%d\n", b, openFDs()-before)
	}
	for _, f := range leaked {
		f.Close()
	}
	fmt.Printf("after closing: +%d\n", openFDs()-before)
	err := leaked[0].Close()
	fmt.Println("close twice is ErrClosed:", errors.Is(err, os.ErrClosed))
}
