// Package store keeps saved baskets, the OAuth states already used and the
// outcome of every callback. Handlers never write SQL; they call a Store.
package store
