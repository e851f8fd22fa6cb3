//go:build unix

package connlimit

import "syscall"

// DefaultMax is the cap used when MAX_CONNECTIONS is not set: 1,000, or half the process's
// open-file limit when that is lower (the rest is for the database, Redis and files).
func DefaultMax() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err == nil && rl.Cur > 0 && rl.Cur/2 < 1000 {
		return max(int(rl.Cur/2), 16)
	}
	return 1000
}
