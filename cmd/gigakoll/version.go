package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version and commit are set by the Makefile: -ldflags "-X main.version=…
// -X main.commit=…". A plain go build leaves commit empty, and the commit is
// then read from the build's VCS stamp (debug.ReadBuildInfo), which go build
// writes when it runs in a git work tree.
var (
	version = "dev"
	commit  = ""
)

// buildInfo is the version, the commit it was built from and the Go release.
type buildInfo struct {
	Version, Revision, GoVersion string
	Modified                     bool
}

func readBuildInfo() buildInfo {
	info, _ := debug.ReadBuildInfo()
	return buildInfoOf(version, commit, info)
}

// buildInfoOf prefers the commit the Makefile set, then the VCS stamp.
func buildInfoOf(version, commit string, info *debug.BuildInfo) buildInfo {
	bi := buildInfo{Version: version, Revision: "unknown", GoVersion: runtime.Version()}
	if info != nil {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				bi.Revision = s.Value
			case "vcs.modified":
				bi.Modified = s.Value == "true"
			}
		}
	}
	if commit != "" {
		bi.Revision, bi.Modified = strings.TrimSuffix(commit, "-dirty"), strings.HasSuffix(commit, "-dirty")
	}
	return bi
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, the commit and the Go release",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bi := readBuildInfo()
			mod := ""
			if bi.Modified {
				mod = " (modified)"
			}
			_, err := fmt.Fprintf(a.stdout, "gigakoll %s\ncommit %s%s\n%s\n", bi.Version, bi.Revision, mod, bi.GoVersion)
			return err
		},
	}
}
