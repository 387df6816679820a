package main

import "fmt"

func runDecode(env *cmdEnv, args []string) int {
	fmt.Fprintln(env.stderr, "basketlink decode: not implemented yet")
	return exitUsage
}
