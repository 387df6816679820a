package main

import "fmt"

func runToken(env *cmdEnv, args []string) int {
	fmt.Fprintln(env.stderr, "basketlink token: not implemented yet")
	return exitUsage
}
