// Differential harness: renders template cases with Go's real text/template (+ sprig) and
// prints the goldens that test/template/differential.ts compares our engine against.
//
// Usage (GOPATH mode, sprig 3.2.3 from /usr/share/gocode):
//   GO111MODULE=off GOPATH=/usr/share/gocode go run render.go [-sprig] cases.json > golden.json
//
// Cases file: JSON array of {"name", "template", "data"}. Data convention (the TS side,
// test/template/data.ts, converts identically):
//   - JSON objects become map[string]interface{}, arrays []interface{}, null nil.
//   - A JSON number with an integral value becomes int; any other number float64.
//   - Typed wrappers (an object with exactly one key starting with "$"):
//       {"$float": 3}          float64(3) (a float that happens to be whole)
//       {"$time": "RFC3339"}   time.Time parsed with time.RFC3339Nano (Z → UTC)
//       {"$duration": "1h2s"}  time.Duration via time.ParseDuration
//       {"$func": "name"}      a func value for `call`: add(int,int) int, greet(string) string,
//                              fail() (string, error) which always errors "boom"
//       {"$strings": [..]}     []string (a typed slice)
//       {"$ints": [..]}        []int
//       {"$int": "digits"}     int64 beyond what a JSON number carries exactly (2^53)
// Output: JSON array of {"name", "output"} or {"name", "error"} (the error's Error() text).
// Template name is always the case name's "t" (so error texts don't depend on case names).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig"
)

type testCase struct {
	Name     string          `json:"name"`
	Template string          `json:"template"`
	Data     json.RawMessage `json:"data"`
}

type result struct {
	Name   string  `json:"name"`
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

var testFuncs = map[string]interface{}{
	"add":   func(a, b int) int { return a + b },
	"greet": func(s string) string { return "hello " + s },
	"fail":  func() (string, error) { return "", errors.New("boom") },
}

func convert(v interface{}) interface{} {
	switch x := v.(type) {
	case json.Number:
		if !strings.ContainsAny(string(x), ".eE") {
			if i, err := x.Int64(); err == nil {
				return int(i)
			}
		}
		f, _ := x.Float64()
		if f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return int(f)
		}
		return f
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, e := range x {
			out[i] = convert(e)
		}
		return out
	case map[string]interface{}:
		if len(x) == 1 {
			for k, e := range x {
				if strings.HasPrefix(k, "$") {
					return convertTyped(k, e)
				}
			}
		}
		out := make(map[string]interface{}, len(x))
		for k, e := range x {
			out[k] = convert(e)
		}
		return out
	}
	return v
}

func convertTyped(kind string, v interface{}) interface{} {
	switch kind {
	case "$float":
		f, _ := v.(json.Number).Float64()
		return f
	case "$time":
		t, err := time.Parse(time.RFC3339Nano, v.(string))
		if err != nil {
			panic(err)
		}
		return t
	case "$duration":
		d, err := time.ParseDuration(v.(string))
		if err != nil {
			panic(err)
		}
		return d
	case "$func":
		return testFuncs[v.(string)]
	case "$strings":
		var out []string
		for _, e := range v.([]interface{}) {
			out = append(out, e.(string))
		}
		return out
	case "$int":
		i, err := strconv.ParseInt(v.(string), 10, 64)
		if err != nil {
			panic(err)
		}
		return i
	case "$ints":
		var out []int
		for _, e := range v.([]interface{}) {
			i, _ := e.(json.Number).Int64()
			out = append(out, int(i))
		}
		return out
	}
	panic("unknown typed wrapper " + kind)
}

func render(c testCase, funcs template.FuncMap) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	var data interface{}
	if len(c.Data) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(c.Data)))
		dec.UseNumber()
		if err := dec.Decode(&data); err != nil {
			return "", err
		}
		data = convert(data)
	}
	t, err := template.New("t").Funcs(funcs).Parse(c.Template)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

func main() {
	useSprig := flag.Bool("sprig", false, "add sprig.TxtFuncMap() to the function table")
	flag.Parse()
	raw, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		panic(err)
	}
	var cases []testCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		panic(err)
	}
	funcs := template.FuncMap{}
	if *useSprig {
		funcs = sprig.TxtFuncMap()
	}
	results := make([]result, 0, len(cases))
	for _, c := range cases {
		out, err := render(c, funcs)
		r := result{Name: c.Name}
		if err != nil {
			msg := err.Error()
			r.Error = &msg
		} else {
			r.Output = &out
		}
		results = append(results, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(results); err != nil {
		panic(err)
	}
}
