package e2e_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/gigakoll/gigakoll/web/e2e"
)

// TestMain fails a full run of this package in which some *.test.mjs file
// was never given to RunNode: each needs a Go test that runs it.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && flag.Lookup("test.skip").Value.String() == "" {
		missing, err := e2e.NotRun()
		switch {
		case err != nil:
			fmt.Fprintf(os.Stderr, "FAIL: web/e2e: %v\n", err)
			code = 1
		case len(missing) > 0:
			fmt.Fprintf(os.Stderr, "FAIL: web/e2e: no Go test runs %v: add one that calls e2e.RunNode\n", missing)
			code = 1
		}
	}
	os.Exit(code)
}
