package main

import "fmt"

func runValidate(env *cmdEnv, args []string) int {
	fmt.Fprintln(env.stderr, "basketlink validate: not implemented yet")
	return exitUsage
}
