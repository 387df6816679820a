package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Cache lifetimes: a content-hashed name never changes what it holds; a
// plain name may, with the next release, so it is checked again soon (its
// ETag makes that check a 304).
const (
	immutable = "public, max-age=31536000, immutable"
	revisit   = "public, max-age=300"
)

// Assets serves a set of files, each under its plain name (app.css) and its
// content-hashed name (app.3f2a1c9e.css), gzip-compressed once, when built,
// for clients that accept it.
type Assets struct {
	byName map[string]*asset // plain and hashed names alike
	hashed map[string]string // plain name -> hashed name
}

type asset struct {
	hashed      string // the content-hashed name
	contentType string
	etag        string // quoted; the gzip variant's adds -gz
	plain, gz   []byte // gz is nil when compressing does not pay
}

// New reads every file at the top of fsys.
func New(fsys fs.FS) (*Assets, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	a := &Assets{byName: map[string]*asset{}, hashed: map[string]string{}}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := e.Name()
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("static: %w", err)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:4])
		ext := path.Ext(name)
		f := &asset{
			hashed:      strings.TrimSuffix(name, ext) + "." + hash + ext,
			contentType: mime.TypeByExtension(ext),
			etag:        `"` + hash + `"`,
			plain:       body,
		}
		if f.contentType == "" {
			f.contentType = "application/octet-stream"
		}
		if f.gz, err = gzipped(body); err != nil {
			return nil, fmt.Errorf("static: compress %s: %w", name, err)
		}
		a.byName[name], a.byName[f.hashed], a.hashed[name] = f, f, f.hashed
	}
	return a, nil
}

// gzipped returns body compressed, or nil when that saves too little to
// be worth a client's decompressing (an image, a tiny file).
func gzipped(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(body); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if buf.Len() > len(body)*9/10 {
		return nil, nil
	}
	return buf.Bytes(), nil
}

// Has reports whether name, plain or hashed, is one of the files.
func (a *Assets) Has(name string) bool {
	_, ok := a.byName[name]
	return ok
}

// Name returns the content-hashed name of the file name (app.css ->
// app.3f2a1c9e.css); an unknown name is returned as it is.
func (a *Assets) Name(name string) string {
	if h, ok := a.hashed[name]; ok {
		return h
	}
	return name
}

// ServeHTTP answers GET and HEAD for the file named by the last segment of
// the path: under its hashed name cached for a year, under its plain name
// with an ETag and a short cache; gzip when the client accepts it. A
// conditional request whose ETag still matches gets 304.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	f, ok := a.byName[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	if name == f.hashed {
		h.Set("Cache-Control", immutable)
	} else {
		h.Set("Cache-Control", revisit)
	}
	body, etag := f.plain, f.etag
	if f.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = f.gz, strings.TrimSuffix(f.etag, `"`)+`-gz"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	// No modification time: the ETag alone decides a conditional request.
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding header takes gzip with a
// weight above zero, by name or, failing that, as *.
func acceptsGzip(header string) bool {
	gzipOK, starOK := -1, -1 // -1: not named
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		ok := 1
		if q, found := strings.CutPrefix(strings.ReplaceAll(strings.ToLower(params), " ", ""), "q="); found {
			if w, err := strconv.ParseFloat(q, 64); err != nil || w <= 0 {
				ok = 0
			}
		}
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			gzipOK = ok
		case "*":
			starOK = ok
		}
	}
	if gzipOK >= 0 {
		return gzipOK == 1
	}
	return starOK == 1
}

// App returns the web app's assets (FS), built once.
var App = sync.OnceValue(func() *Assets {
	a, err := New(FS)
	if err != nil {
		panic(err) // embedded files that cannot be read: a broken build
	}
	return a
})
