package main

import (
	"fmt"
	"os"

	"basketlink/store"
)

func runBackup(env *cmdEnv, args []string) int {
	fs := newFlagSet("backup", env.stderr)
	dataDir := fs.String("data-dir", "./data", "data directory of the embedded database")
	to := fs.String("to", "", "the backup `file` to write; it must not exist yet")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: basketlink backup --data-dir D --to FILE\n\nWrites a consistent copy of the embedded SQLite database, also while serve runs.\nWith PostgreSQL (BASKETLINK_DATABASE_URL), use pg_dump instead.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return usageError(env, fs, "unexpected argument %q", fs.Arg(0))
	}
	if *to == "" {
		return usageError(env, fs, "--to is required: the file to write the backup to")
	}
	if env.getenv("BASKETLINK_DATABASE_URL") != "" {
		fmt.Fprintln(env.stderr, "basketlink backup: BASKETLINK_DATABASE_URL is set, so the data is in PostgreSQL: back it up with pg_dump (for example pg_dump --format=custom --file=basketlink.dump \"$BASKETLINK_DATABASE_URL\")")
		return exitUsage
	}
	if err := store.BackupSQLite(env.ctx, *dataDir, *to); err != nil {
		fmt.Fprintf(env.stderr, "basketlink backup: %v\n", err)
		return exitUsage
	}
	size := int64(0)
	if info, err := os.Stat(*to); err == nil {
		size = info.Size()
	}
	fmt.Fprintf(env.stdout, "basketlink backup: wrote %s (%d bytes)\n", *to, size)
	return exitOK
}
