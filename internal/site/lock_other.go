//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package site

import "errors"

// errNoLock says this system gives no lock that dies with its process.
var errNoLock = errors.New("folder locks are not available here")

// lockDir does nothing here.
func lockDir(dir string) (unlock func(), err error) { return func() {}, nil }

// tryLockDir always fails here, so that a build never removes a folder
// another build may still be writing.
func tryLockDir(dir string) (unlock func(), err error) { return nil, errNoLock }
