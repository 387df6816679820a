package share

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
)

// The cache keeps each link's canonical params deflated against a dictionary
// of canonical legs: most of a leg is keys and values every basket repeats,
// so a two-leg basket of 300 bytes keeps in about 60, and 200,000 links fit
// in the memory 40,000 took as plain text. A click inflates its link's
// params again, in about half a microsecond: with klauspost/compress's
// inflater, which writes the same deflate format as the standard library's
// and reads it about a third faster (BenchmarkUnpack: 730 against 530 ns).

// packDict is what canonical params usually hold, most common last (deflate
// codes near matches shortest). It is only a hint to the compressor: a leg
// unlike it still packs, a little larger.
var packDict = []byte(`"validity":"ioc","discQty":` +
	`{"exch":"BSE","symbol":"SENSEX","expiry":"2026-12-24","optType":"CE","inst":"OPTIDX","strike":"85000","qty":20,"side":"sell","type":"market","product":"delivery","limitPrice":0,"validity":"day","mktProt":5}` +
	`{"exch":"NFO","symbol":"BANKNIFTY","expiry":"2026-12-30","inst":"FUTIDX","qty":35,"side":"sell","type":"limit","product":"intraday","limitPrice":59100.5,"validity":"day"}` +
	`{"exch":"NFO","symbol":"NIFTY","expiry":"2026-12-29","optType":"PE","inst":"OPTIDX","strike":"26000","qty":75,"side":"buy","type":"limit","product":"intraday","limitPrice":0,"validity":"day"},` +
	`{"exch":"NFO","symbol":"NIFTY","expiry":"2026-12-29","optType":"CE","inst":"OPTIDX","strike":"26200","qty":75,"side":"sell","type":"limit","product":"delivery","limitPrice":101.05,"validity":"day"}]` +
	`[{"exch":"NSE","symbol":"RELIANCE","series":"EQ","inst":"EQT","qty":1,"side":"buy","type":"market","product":"delivery","limitPrice":0,"validity":"day"},` +
	`{"exch":"NSE","symbol":"SBIN","series":"EQ","inst":"EQT","qty":10,"side":"sell","type":"limit","product":"intraday","limitPrice":10.5,"validity":"day"}]`)

var (
	packers = sync.Pool{New: func() any {
		w, err := flate.NewWriterDict(io.Discard, flate.DefaultCompression, packDict)
		if err != nil { // only for a bad level
			panic(err)
		}
		return w
	}}
	unpackers = sync.Pool{New: func() any {
		u := &unpacker{}
		u.r = flate.NewReaderDict(&u.src, packDict)
		return u
	}}
)

// packing bounds how many packs run at once: a compressor takes about a
// megabyte, and a cold cache under load would otherwise make one for every
// request waiting on a miss; packing is all CPU, so more than a core each
// gains nothing.
var packing = make(chan struct{}, runtime.GOMAXPROCS(0))

// pack deflates params.
func pack(params string) []byte {
	packing <- struct{}{}
	defer func() { <-packing }()
	var buf bytes.Buffer
	w := packers.Get().(*flate.Writer)
	defer packers.Put(w)
	w.Reset(&buf)
	// Writes to a bytes.Buffer do not fail.
	_, _ = io.WriteString(w, params)
	_ = w.Close()
	return buf.Bytes()
}

// unpacker is an inflater with its input and output buffers, reused.
type unpacker struct {
	src bytes.Reader
	r   io.ReadCloser
	out bytes.Buffer
}

// unpack inflates what pack made.
func unpack(packed []byte) (string, error) {
	var params string
	err := withUnpacked(packed, func(p []byte) { params = string(p) })
	return params, err
}

// withUnpacked inflates what pack made and calls use with it, in a buffer
// that is reused once use returns: for what needs the params only a moment,
// as a click's URL does.
func withUnpacked(packed []byte, use func(params []byte)) error {
	u := unpackers.Get().(*unpacker)
	defer unpackers.Put(u)
	u.src.Reset(packed)
	if err := u.r.(flate.Resetter).Reset(&u.src, packDict); err != nil {
		return fmt.Errorf("unpack params: %w", err)
	}
	u.out.Reset()
	if _, err := u.out.ReadFrom(u.r); err != nil {
		return fmt.Errorf("unpack params: %w", err)
	}
	use(u.out.Bytes())
	return nil
}
