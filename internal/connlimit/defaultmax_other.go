//go:build !unix

package connlimit

// DefaultMax is the cap used when MAX_CONNECTIONS is not set.
func DefaultMax() int { return 1000 }
