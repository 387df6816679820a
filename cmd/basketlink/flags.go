package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"time"

	"basketlink/basket"
)

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("basketlink "+name, flag.ContinueOnError)
	fs.SetOutput(noTabs{stderr})
	return fs
}

// noTabs writes what the flag package prints with its indenting tabs as
// spaces, so that usage text, like everything else the commands print, holds
// no control character but the newline.
type noTabs struct{ w io.Writer }

func (n noTabs) Write(p []byte) (int, error) {
	if _, err := n.w.Write(bytes.ReplaceAll(p, []byte("\t"), []byte("    "))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// parseInterspersed parses flags that may come before or after the positional
// arguments (basketlink validate a.json --json), and returns the positionals.
// A lone "-" (stdin) is positional; "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// asOfFlag is a --as-of YYYY-MM-DD value.
type asOfFlag struct{ t time.Time }

func (a *asOfFlag) String() string {
	if a.t.IsZero() {
		return ""
	}
	return a.t.Format(time.DateOnly)
}

func (a *asOfFlag) Set(s string) error {
	t, err := basket.ParseAsOf(s)
	if err != nil {
		return err
	}
	a.t = t
	return nil
}

// usageError prints a usage problem and returns the usage exit code.
func usageError(env *cmdEnv, fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(env.stderr, "%s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return exitUsage
}
