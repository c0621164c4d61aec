//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package site

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockDir takes an exclusive lock on the folder dir, held until unlock is
// called or the process ends, however it ends: the system drops the lock of
// a killed process, which is how a later build tells a dead build's folder
// from a running one's.
func lockDir(dir string) (unlock func(), err error) {
	return flockDir(dir, unix.LOCK_EX)
}

// tryLockDir takes the lock of lockDir only if no one holds it.
func tryLockDir(dir string) (unlock func(), err error) {
	return flockDir(dir, unix.LOCK_EX|unix.LOCK_NB)
}

func flockDir(dir string, how int) (func(), error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
