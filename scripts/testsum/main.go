// Command testsum reads `go test -json` and prints what `go test` prints for
// packages (ok, FAIL, no test files) and the output of failing tests, then
// one line that names the tests that skipped and why: plain `go test ./...`
// hides them, and the tests that read ../shared/corpus skip when it is
// absent.
//
//	go test -json ./... | go run ./scripts/testsum
//
// It exits 1 when a test or package failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

func main() {
	failed, err := summarize(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

// summarize copies the package results of the events in r to w, with the
// output of failed tests, and ends with the skipped tests and their reasons.
// It reports whether anything failed.
func summarize(r io.Reader, w io.Writer) (bool, error) {
	output := map[string][]string{}  // by package and test: what the test printed
	reasons := map[string][]string{} // skip reason: the tests that gave it
	failed := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// Not JSON: a build error printed by the go command.
			fmt.Fprintln(w, sc.Text())
			failed = true
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			if e.Test != "" {
				output[key] = append(output[key], e.Output)
			} else if strings.HasPrefix(e.Output, "FAIL") || strings.Contains(e.Output, "[build failed]") || strings.Contains(e.Output, "[setup failed]") {
				fmt.Fprint(w, e.Output)
			}
		case "skip":
			if e.Test != "" {
				reasons[skipReason(output[key])] = append(reasons[skipReason(output[key])], shortPkg(e.Package)+"."+e.Test)
			} else {
				fmt.Fprintf(w, "?   \t%s\t[no test files]\n", e.Package)
			}
		case "fail":
			failed = true
			if e.Test != "" {
				fmt.Fprint(w, strings.Join(output[key], ""))
			} else {
				fmt.Fprintf(w, "FAIL\t%s\t%.3fs\n", e.Package, e.Elapsed)
			}
		case "pass":
			if e.Test == "" {
				fmt.Fprintf(w, "ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
			}
		}
		if e.Action == "pass" || e.Action == "fail" || e.Action == "skip" {
			delete(output, key)
		}
	}
	if err := sc.Err(); err != nil {
		return failed, err
	}
	fmt.Fprintln(w, skipLine(reasons))
	return failed, nil
}

// skipReason is the last line a skipped test printed before it skipped:
// the message of its t.Skip, without the file:line prefix.
func skipReason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "---") || strings.HasPrefix(l, "=== ") {
			continue
		}
		if _, rest, ok := strings.Cut(l, ": "); ok && strings.Contains(l[:len(l)-len(rest)], ".go:") {
			l = rest
		}
		return l
	}
	return "no reason given"
}

// skipLine says in one line how many tests skipped, grouped by reason.
func skipLine(reasons map[string][]string) string {
	if len(reasons) == 0 {
		return "skipped: none"
	}
	n := 0
	var groups []string
	for reason, tests := range reasons {
		n += len(tests)
		sort.Strings(tests)
		groups = append(groups, fmt.Sprintf("%s (%s)", reason, strings.Join(tests, ", ")))
	}
	sort.Strings(groups)
	tests := "tests"
	if n == 1 {
		tests = "test"
	}
	return fmt.Sprintf("skipped: %d %s: %s", n, tests, strings.Join(groups, "; "))
}

// shortPkg drops the module path from a package path.
func shortPkg(p string) string {
	return strings.TrimPrefix(p, "github.com/baomi/baomi/")
}
