//go:build !linux && !darwin

package site

// exchange is not available here: swap renames twice instead.
func exchange(a, b string) error { return errNoExchange }
