package contracts

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"time"

	"basketlink/schema"
)

// ParseError is a malformed master: where (line and column, both from 1,
// columns counted in bytes) and why.
type ParseError struct {
	File   string // as given to Load
	Line   int
	Column int
	Field  string // the header name of the column, when known
	Msg    string
}

func (e *ParseError) Error() string {
	where := fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Column)
	if e.Field != "" {
		return where + ": " + e.Field + ": " + e.Msg
	}
	return where + ": " + e.Msg
}

// LoadFile reads the master at path.
func LoadFile(path string) (*Master, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("instrument master: %w", err)
	}
	defer f.Close()
	return Load(f, path)
}

// maxLot bounds a lot size: far above any listed lot.
const maxLot = 1_000_000_000

// Load reads a master in CSV: the header row
// exch,symbol,series,inst,expiry,opt_type,strike,lot_size,tick_size, then one
// row per contract, with empty cells where a column does not apply. Lines
// starting with # are comments. The first problem stops the load as a
// *ParseError naming its line and column; name is the file's name in it.
func Load(r io.Reader, name string) (*Master, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = len(header)
	cr.ReuseRecord = true
	m := &Master{under: map[underKey]*underlying{}, listing: map[string][]Listing{}, symbols: map[Listing][]string{}}
	seen := map[Query]int{} // contract -> its line, to name duplicates
	headerDone := false
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line, col := pe.Line, pe.Column
				if col < 1 {
					col = 1
				}
				msg := pe.Err.Error()
				if errors.Is(pe.Err, csv.ErrFieldCount) {
					msg = fmt.Sprintf("a row holds %d columns (%s); this one has %d", len(header), headerText(), len(rec))
					line, col = pe.StartLine, 1
				}
				return nil, &ParseError{File: name, Line: line, Column: col, Msg: msg}
			}
			return nil, fmt.Errorf("instrument master %s: %w", name, err)
		}
		fail := func(i int, format string, args ...any) error {
			line, col := cr.FieldPos(i)
			return &ParseError{File: name, Line: line, Column: col, Field: header[i], Msg: fmt.Sprintf(format, args...)}
		}
		if !headerDone {
			headerDone = true
			if len(rec) > 0 {
				rec[0] = string(bytes.TrimPrefix([]byte(rec[0]), []byte("\xef\xbb\xbf")))
			}
			for i, h := range header {
				if rec[i] != h {
					line, col := cr.FieldPos(i)
					return nil, &ParseError{File: name, Line: line, Column: col,
						Msg: fmt.Sprintf("the header row must be %s; column %d is %q, not %q", headerText(), i+1, rec[i], h)}
				}
			}
			continue
		}
		c, err := parseRow(rec, fail)
		if err != nil {
			return nil, err
		}
		q := c.query()
		line, _ := cr.FieldPos(0)
		if first, dup := seen[q]; dup {
			return nil, &ParseError{File: name, Line: line, Column: 1, Msg: fmt.Sprintf("the same contract as line %d", first)}
		}
		seen[q] = line
		m.add(c)
	}
	if !headerDone {
		return nil, &ParseError{File: name, Line: 1, Column: 1, Msg: "the file is empty; it needs the header row " + headerText()}
	}
	m.finish()
	return m, nil
}

func headerText() string {
	s := ""
	for i, h := range header {
		if i > 0 {
			s += ","
		}
		s += h
	}
	return s
}

// Column indexes, in header order.
const (
	colExch = iota
	colSymbol
	colSeries
	colInst
	colExpiry
	colOptType
	colStrike
	colLot
	colTick
)

// parseRow checks one row; fail names a column's problem.
func parseRow(rec []string, fail func(i int, format string, args ...any) error) (*Contract, error) {
	c := &Contract{Exch: rec[colExch], Symbol: rec[colSymbol], Series: rec[colSeries], Inst: rec[colInst],
		Expiry: rec[colExpiry], OptType: rec[colOptType]}

	// The instruments, their exchanges, symbols, series and option types
	// are what a leg's schema (schema/leg.schema.json) allows, read from it.
	if !slices.Contains(schema.Insts, c.Inst) {
		return nil, fail(colInst, "%q is not an instrument; use %s", c.Inst, orList(schema.Insts))
	}
	if exchs := schema.Choices(c.Inst, "exch"); !slices.Contains(exchs, c.Exch) {
		return nil, fail(colExch, "%q is not an exchange for %s; use %s", c.Exch, c.Inst, orList(exchs))
	}
	if !matches(c.Inst, "symbol", c.Symbol) {
		return nil, fail(colSymbol, "%q is not a symbol: 1 to 30 of A-Z, 0-9, &, _ and -", c.Symbol)
	}
	notHere := func(i int, v string) error {
		if v != "" {
			return fail(i, "must be empty for %s (it holds %q)", c.Inst, v)
		}
		return nil
	}
	if schema.Allowed(c.Inst, "series") {
		if !matches(c.Inst, "series", c.Series) {
			return nil, fail(colSeries, "%q is not a series: 1 to 3 of A-Z and 0-9, like EQ", c.Series)
		}
		for _, i := range []int{colExpiry, colOptType, colStrike} {
			if err := notHere(i, rec[i]); err != nil {
				return nil, err
			}
		}
	} else {
		if err := notHere(colSeries, c.Series); err != nil {
			return nil, err
		}
		if _, err := time.Parse(time.DateOnly, c.Expiry); err != nil {
			return nil, fail(colExpiry, "%q is not a date written YYYY-MM-DD", c.Expiry)
		}
	}
	switch c.Inst {
	case "FUTIDX":
		for _, i := range []int{colOptType, colStrike} {
			if err := notHere(i, rec[i]); err != nil {
				return nil, err
			}
		}
	case "OPTIDX":
		if types := schema.Choices(c.Inst, "optType"); !slices.Contains(types, c.OptType) {
			return nil, fail(colOptType, "%q is not an option type; use %s", c.OptType, orList(types))
		}
		s, err := ParsePaise(rec[colStrike])
		if err != nil {
			return nil, fail(colStrike, "%q %v", rec[colStrike], err)
		}
		c.Strike = s
	}
	lot, err := strconv.ParseInt(rec[colLot], 10, 64)
	if err != nil || lot < 1 || lot > maxLot {
		return nil, fail(colLot, "%q is not a lot size: a whole number from 1", rec[colLot])
	}
	c.LotSize = lot
	tick, err := ParsePaise(rec[colTick])
	if err != nil {
		return nil, fail(colTick, "%q %v", rec[colTick], err)
	}
	c.Tick = tick
	return c, nil
}

// matches reports whether v fits the schema's pattern for key on inst (any v
// does where the schema gives no pattern).
func matches(inst, key, v string) bool {
	p := schema.Pattern(inst, key)
	return p == nil || p.MatchString(v)
}

func orList(xs []string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	s := ""
	for i, x := range xs[:len(xs)-1] {
		if i > 0 {
			s += ", "
		}
		s += x
	}
	return s + " or " + xs[len(xs)-1]
}

func (c *Contract) query() Query {
	return Query{Exch: c.Exch, Inst: c.Inst, Symbol: c.Symbol, Series: c.Series, Expiry: c.Expiry, OptType: c.OptType, Strike: c.Strike}
}

// add indexes one contract; finish sorts what add appended.
func (m *Master) add(c *Contract) {
	m.rows++
	k := underKey{c.Exch, c.Inst, c.Symbol}
	u := m.under[k]
	if u == nil {
		u = &underlying{}
		m.under[k] = u
		l := Listing{c.Exch, c.Inst}
		m.listing[c.Symbol] = append(m.listing[c.Symbol], l)
		m.symbols[l] = append(m.symbols[l], c.Symbol)
	}
	if c.Inst == "EQT" {
		if u.series == nil {
			u.series = map[string]*Contract{}
		}
		u.series[c.Series] = c
		return
	}
	if u.byExpiry == nil {
		u.byExpiry = map[string]*expiry{}
	}
	e := u.byExpiry[c.Expiry]
	if e == nil {
		e = &expiry{}
		u.byExpiry[c.Expiry] = e
		u.expiries = append(u.expiries, c.Expiry)
	}
	if c.Inst == "FUTIDX" {
		e.future = c
		return
	}
	if e.options == nil {
		e.options = map[string]*grid{}
	}
	g := e.options[c.OptType]
	if g == nil {
		g = &grid{byStrike: map[Paise]*Contract{}}
		e.options[c.OptType] = g
	}
	g.byStrike[c.Strike] = c
	g.strikes = append(g.strikes, c.Strike)
	e.strikes = append(e.strikes, c.Strike)
}

func (m *Master) finish() {
	for _, syms := range m.symbols {
		slices.Sort(syms)
	}
	for _, u := range m.under {
		slices.Sort(u.expiries)
		for _, e := range u.byExpiry {
			slices.Sort(e.strikes)
			e.strikes = slices.Compact(e.strikes)
			for _, g := range e.options {
				slices.Sort(g.strikes)
			}
		}
	}
}
