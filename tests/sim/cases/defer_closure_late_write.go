// A deferred closure reads variables when it runs, so it sees writes that
// happened after the defer statement.
package main

import "fmt"

func main() {
	status := "starting"
	defer func() {
		fmt.Println("closure sees status:", status)
	}()
	defer fmt.Println("argument captured status:", status)
	status = "finished"
	fmt.Println("main sets status:", status)
}
