package geo

import (
	"embed"
	"fmt"
)

//go:embed sql/*.sql
var sqlFS embed.FS

// mustSQL returns an embedded SQL file; a missing one panics at init, which
// every test of the package catches.
func mustSQL(name string) string {
	b, err := sqlFS.ReadFile("sql/" + name)
	if err != nil {
		panic(fmt.Sprintf("geo: %v", err))
	}
	return string(b)
}
