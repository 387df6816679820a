package main

import "fmt"

func runLink(env *cmdEnv, args []string) int {
	fmt.Fprintln(env.stderr, "basketlink link: not implemented yet")
	return exitUsage
}
