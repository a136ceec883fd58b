// Remove deletes one file or empty directory; RemoveAll deletes a tree.
// Errors for missing files are checked with errors.Is(err, os.ErrNotExist).
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	dir, err := os.MkdirTemp("", "strata-rm-*")
	if err != nil {
		fmt.Println(err)
		return
	}
	sub := filepath.Join(dir, "sub")
	fmt.Println("mkdir:", os.Mkdir(sub, 0o755))
	fmt.Println("write:", os.WriteFile(filepath.Join(sub, "f.txt"), []byte("hi"), 0o644))

	err = os.Remove(sub)
	fmt.Println("remove non-empty dir fails:", err != nil)
	fmt.Println("remove file:", os.Remove(filepath.Join(sub, "f.txt")))
	fmt.Println("remove now-empty dir:", os.Remove(sub))

	_, err = os.ReadFile(filepath.Join(dir, "missing.txt"))
	fmt.Println("missing is ErrNotExist:", errors.Is(err, os.ErrNotExist))
	err = os.Remove(filepath.Join(dir, "missing.txt"))
	fmt.Println("remove missing is ErrNotExist:", errors.Is(err, os.ErrNotExist))

	fmt.Println("RemoveAll:", os.RemoveAll(dir))
	fmt.Println("RemoveAll again (missing is fine):", os.RemoveAll(dir))
	_, err = os.ReadDir(dir)
	fmt.Println("dir gone:", errors.Is(err, os.ErrNotExist))
}
