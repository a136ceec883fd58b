// A common pattern: build the panic message with fmt.Sprintf.
package main

import "fmt"

type account struct {
	id      int
	balance int
}

func withdraw(a *account, amount int) {
	if amount > a.balance {
		panic(fmt.Sprintf("account %d: cannot withdraw %d, balance is %d", a.id, amount, a.balance))
	}
	a.balance -= amount
}

func main() {
	a := &account{id: 7, balance: 50}
	withdraw(a, 20)
	fmt.Println("balance after first withdrawal:", a.balance)
	withdraw(a, 40)
	fmt.Println("unreachable")
}
