// The fix for defer-in-a-loop: move the body into its own function so each
// deferred Close runs at the end of every iteration.
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func openFDs() int {
	entries, _ := os.ReadDir("/proc/self/fd")
	return len(entries)
}

func sizeOf(path string, base int) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fmt.Printf("  inside: +%d\n", openFDs()-base)
	data, err := os.ReadFile(path)
	return len(data), err
}

func main() {
	dir, _ := os.MkdirTemp("", "strata-fix-*")
	defer os.RemoveAll(dir)
	names := []string{"a.txt", "bb.txt", "ccc.txt"}
	for i, n := range names {
		os.WriteFile(filepath.Join(dir, n), []byte(n[:i+1]), 0o644)
	}
	base := openFDs()
	for _, n := range names {
		size, err := sizeOf(filepath.Join(dir, n), base)
		fmt.Printf("%s size=%d err=%v after: +%d\n", n, size, err, openFDs()-base)
	}
	_, err := sizeOf(filepath.Join(dir, "nope.txt"), base)
	fmt.Println("missing file error is nil:", err == nil)
}
