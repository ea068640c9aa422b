package coverage

import "github.com/gigakoll/gigakoll/tabular"

// The problem collector is every tabular import's (package tabular); these
// names keep coverage's callers as they were.
type (
	// Problem is one error or warning, located as FILE:LINE: column NAME.
	Problem = tabular.Problem
	// Problems collects a file's errors and warnings, listing the first Limit.
	Problems = tabular.Problems
	// ImportError says a file had errors and nothing was imported.
	ImportError = tabular.ImportError
)

// DefaultProblemLimit is how many errors and warnings are listed in detail.
const DefaultProblemLimit = tabular.DefaultLimit

// NewProblems returns an empty collector that lists up to limit of each kind.
func NewProblems(limit int) *Problems { return tabular.NewProblems(limit) }
