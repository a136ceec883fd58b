// Pointers: address-of, dereference, pointer to struct fields, new, and
// functions that modify through a pointer.
package main

import "fmt"

type user struct {
	name   string
	visits int
	friend *user
}

func visit(u *user) { u.visits++ }

func swap(a, b *int) { *a, *b = *b, *a }

func main() {
	x, y := 1, 2
	px := &x
	*px = 10
	swap(&x, &y)
	fmt.Println(x, y, *px == x)

	ann := user{name: "ann"}
	bob := &user{name: "bob", friend: &ann}
	visit(&ann)
	visit(bob.friend)
	visit(bob)
	fmt.Println(ann.visits, bob.visits, bob.friend.name)

	copyOfAnn := ann
	copyOfAnn.visits = 50
	fmt.Println(ann.visits, copyOfAnn.visits)

	p := new(int)
	*p += 5
	fmt.Println(*p)
	users := []*user{&ann, bob}
	for _, u := range users {
		u.visits *= 10
	}
	fmt.Println(ann.visits, bob.visits, bob.friend == &ann)
	var none *user
	fmt.Println(none == nil, none)
}
