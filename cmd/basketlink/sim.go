package main

import "fmt"

func runSim(env *cmdEnv, args []string) int {
	fmt.Fprintln(env.stderr, "basketlink sim: not implemented yet")
	return exitUsage
}
