// defer inside a loop runs only when the FUNCTION returns, so every file
// opened in the loop stays open until then. We count open descriptors via
// /proc/self/fd and print only differences (the runtime holds some too).
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

func readAll(dir string, names []string, base int) {
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			fmt.Println(err)
			return
		}
		defer f.Close()
		fmt.Printf("opened %s, open now: +%d\n", name, openFDs()-base)
	}
}

func main() {
	dir, _ := os.MkdirTemp("", "strata-fd-*")
	defer os.RemoveAll(dir)
	names := []string{"1.txt", "2.txt", "3.txt", "4.txt"}
	for _, n := range names {
		os.WriteFile(filepath.Join(dir, n), []byte(n), 0o644)
	}
	base := openFDs()
	readAll(dir, names, base)
	fmt.Printf("after return: +%d\n", openFDs()-base)
}
