package main

import "fmt"

func runServe(env *cmdEnv, args []string) int {
	fmt.Fprintln(env.stderr, "basketlink serve: not implemented yet")
	return exitUsage
}
