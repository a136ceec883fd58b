// Panicking with a value of a custom error type: the runtime prints the
// result of its Error method.
package main

import "fmt"

type httpError struct {
	code int
	path string
}

func (e httpError) Error() string {
	return fmt.Sprintf("%d on %s", e.code, e.path)
}

func serve(path string) {
	if path != "/" {
		panic(httpError{code: 404, path: path})
	}
	fmt.Println("served", path)
}

func main() {
	defer fmt.Println("main's deferred print runs first")
	serve("/")
	serve("/missing")
}
