// Create a temp directory, write files, read them back and list the
// directory (ReadDir returns entries sorted by name), then clean up.
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	dir, err := os.MkdirTemp("", "strata-demo-*")
	if err != nil {
		fmt.Println("mkdirtemp:", err)
		return
	}
	defer os.RemoveAll(dir)

	for _, name := range []string{"notes.txt", "a.log", "data.csv"} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			fmt.Println("create:", err)
			return
		}
		n, _ := f.WriteString("contents of " + name + "\n")
		fmt.Println("wrote", n, "bytes to", name)
		f.Close()
	}
	data, err := os.ReadFile(filepath.Join(dir, "notes.txt"))
	fmt.Printf("read %q err=%v\n", data, err)

	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fmt.Println("entry:", e.Name(), "dir:", e.IsDir())
	}
	fmt.Println(filepath.Join("a", "b/", "../c", "d.txt"), filepath.Base("/x/y.go"), filepath.Ext("y.tar.gz"))
}
