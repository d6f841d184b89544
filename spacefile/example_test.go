package spacefile_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/spacekit/spacekit/spacefile"
)

func ExampleParse() {
	data := []byte(`v: 0
micros:
  - name: web
    src: ./web
    engine: static
    serve: dist
    primary: true
  - name: api
    src: ./api
    engine: custom
    path: v1/api/
    run: ./server
    actions:
      - id: cleanup
        name: Clean up
        trigger: schedule
        default_interval: 0 3 * * *
`)
	sf, err := spacefile.Parse(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range sf.Micros {
		fmt.Printf("%s %s primary=%t static=%t\n", m.Name, m.Path, m.Primary, m.IsStatic())
	}
	cleanup := sf.Action("cleanup")
	after := time.Date(2024, time.May, 1, 12, 0, 0, 0, time.UTC)
	fmt.Println(cleanup.Micro, cleanup.Interval, cleanup.Interval.Next(after))
	// Output:
	// web / primary=true static=true
	// api /v1/api primary=false static=false
	// api 0 3 * * * 2024-05-02 03:00:00 +0000 UTC
}

func ExampleParse_problems() {
	data := []byte(`v: 0
micros:
  - name: web
    src: .
    engine: static
    primary: yes
  - name: api
    src: ./api
    engine: go
`)
	_, err := spacefile.Parse(data)
	var verr *spacefile.ValidationError
	if errors.As(err, &verr) {
		for _, p := range verr.Problems {
			fmt.Printf("%d %q %s\n", p.Line, p.Micro, p.Field)
		}
		fmt.Println(verr.Problems[1])
	}
	// Output:
	// 2 "" micros
	// 3 "web" serve
	// 6 "web" primary
	// 9 "api" engine
	// line 3: micro "web": serve: missing; a static micro needs serve, the folder under src to serve, such as dist
}

func ExampleParseInterval() {
	after := time.Date(2024, time.May, 3, 18, 30, 0, 0, time.UTC) // a Friday
	for _, text := range []string{"2 hours", "0 9 * * mon-fri", "0 12 * * 7"} {
		interval, err := spacefile.ParseInterval(text)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(interval.Next(after).Format(time.RFC1123))
	}
	_, err := spacefile.ParseInterval("1 minutes")
	fmt.Println(err)
	// Output:
	// Fri, 03 May 2024 20:30:00 UTC
	// Mon, 06 May 2024 09:00:00 UTC
	// Sun, 05 May 2024 12:00:00 UTC
	// spacefile: the interval "1 minutes" must read "1 minute": the unit is singular exactly when the number is 1
}
