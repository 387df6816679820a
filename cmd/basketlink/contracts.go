package main

import (
	"flag"
	"fmt"

	"basketlink/contracts"
)

// contractsEnv names the instrument master when --contracts is not given.
const contractsEnv = "BASKETLINK_CONTRACTS"

const contractsUsage = "instrument master, a CSV `FILE` (env " + contractsEnv + "): legs must then name listed contracts, in whole lots, at prices on the tick"

// contractsFlag adds --contracts to fs.
func contractsFlag(fs *flag.FlagSet) *string {
	return fs.String("contracts", "", contractsUsage)
}

// loadContracts loads the master named by path, or by BASKETLINK_CONTRACTS
// when path is empty: nil when neither names one. A master that cannot be read
// is reported on stderr, with its line and column when malformed; ok is then false.
func loadContracts(env *cmdEnv, command, path string) (m *contracts.Master, ok bool) {
	if path == "" {
		path = env.getenv(contractsEnv)
	}
	if path == "" {
		return nil, true
	}
	m, err := contracts.LoadFile(path)
	if err != nil {
		fmt.Fprintf(env.stderr, "basketlink %s: instrument master: %v\n", command, err)
		return nil, false
	}
	return m, true
}
