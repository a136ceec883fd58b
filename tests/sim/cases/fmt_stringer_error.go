// A String method changes how %v and Println print a value; an Error
// method takes priority over String. A pointer-receiver String is used only
// when printing a pointer.
package main

import "fmt"

type version struct {
	major, minor int
}

func (v version) String() string {
	return fmt.Sprintf("v%d.%d", v.major, v.minor)
}

type failure struct{ code int }

func (f failure) Error() string  { return fmt.Sprintf("failure %d", f.code) }
func (f failure) String() string { return "never used" }

type temp struct{ deg float64 }

func (t *temp) String() string { return fmt.Sprintf("%.1f°C", t.deg) }

func main() {
	v := version{1, 22}
	fmt.Println(v, version{})
	fmt.Printf("%v %s %q %+v %d\n", v, v, v, v, v)
	fmt.Println([]version{{1, 21}, {1, 22}})
	fmt.Println(map[string]version{"go": v})
	fmt.Println(failure{404})
	var err error = failure{500}
	fmt.Printf("%v | %s\n", err, err)
	t := temp{21.5}
	fmt.Println(&t, t)
	fmt.Printf("%+v %#v\n", v, v)
}
