package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// buildVersion is what the binary knows of its build: the module version
// ("(devel)" for a build from a work tree), the commit when the build recorded
// it, and the Go version.
func buildVersion() (version, commit, goVersion string) {
	version, commit, goVersion = "(devel)", "unknown", runtime.Version()
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	if v := info.Main.Version; v != "" {
		version = v
	}
	if info.GoVersion != "" {
		goVersion = info.GoVersion
	}
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if modified && commit != "unknown" {
		commit += " (modified)"
	}
	return
}

func runVersion(env *cmdEnv, args []string) int {
	fs := newFlagSet("version", env.stderr)
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: basketlink version\n\nPrints the version, the commit it was built from and the Go version.")
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return usageError(env, fs, "unexpected argument %q", fs.Arg(0))
	}
	version, commit, goVersion := buildVersion()
	fmt.Fprintf(env.stdout, "basketlink %s\ncommit %s\n%s\n", version, commit, goVersion)
	return exitOK
}
