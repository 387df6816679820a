package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"basketlink/basket"
)

// maxInput caps what one basket file may hold; a basket URL is at most 8,000 bytes.
const maxInput = 1 << 20

func runValidate(env *cmdEnv, args []string) int {
	fs := newFlagSet("validate", env.stderr)
	asJSON := fs.Bool("json", false, "print one JSON result object per file, one line each")
	var asOf asOfFlag
	fs.Var(&asOf, "as-of", "compare expiries with this date, `YYYY-MM-DD` (default today in Asia/Kolkata)")
	maxLegs := fs.Int("max-legs", basket.DefaultMaxLegs, "most legs a basket may hold")
	master := contractsFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: basketlink validate [--json] [--as-of D] [--max-legs N] [--contracts FILE] FILE...   (FILE - is stdin)")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(files) == 0 {
		return usageError(env, fs, "name at least one FILE (- for stdin)")
	}
	if *maxLegs < 1 {
		return usageError(env, fs, "--max-legs must be at least 1")
	}
	m, ok := loadContracts(env, "validate", *master)
	if !ok {
		return exitUsage
	}
	opts := basket.Options{AsOf: asOf.t, MaxLegs: *maxLegs, Contracts: m}
	code := exitOK
	for _, name := range files {
		data, err := readInput(env, name)
		if err != nil {
			fmt.Fprintf(env.stderr, "%s: %s\n", safeText(name), safeText(err.Error()))
			if *asJSON { // still one line per file
				writeJSON(env.stdout, basket.Result{Errors: []basket.Error{{Message: fmt.Sprintf("could not read %s: %v", name, err)}}})
			}
			code = exitUsage
			continue
		}
		res := basket.Validate(data, opts)
		if *asJSON {
			writeJSON(env.stdout, res)
		} else {
			for _, e := range res.Errors {
				fmt.Fprintf(env.stdout, "%s: %s: %s\n", safeText(name), safeText(e.Pointer), safeText(e.Message))
			}
		}
		if !res.Valid && code == exitOK {
			code = exitInvalid
		}
	}
	return code
}

// flagExit maps a flag parse error to an exit code: -h is not a failure.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// readInput reads a whole file, or stdin for "-", refusing anything over maxInput.
func readInput(env *cmdEnv, name string) ([]byte, error) {
	var r io.Reader = env.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return nil, pe.Err // the caller names the file
			}
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("larger than %d bytes; a basket is far smaller", maxInput)
	}
	// Some editors start a UTF-8 file with a byte order mark; JSON has no use for it.
	return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), nil
}

// writeJSON writes v as one line of JSON, leaving &, < and > readable.
func writeJSON(w io.Writer, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	_, _ = w.Write(safeJSON(buf.Bytes()))
}
