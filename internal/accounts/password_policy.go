package accounts

import (
	"crypto/rand"
	"strings"
	"unicode/utf8"
)

const (
	// MinPasswordLen is the fewest characters (not bytes) a chosen password
	// may have.
	MinPasswordLen = 10
	// maxPasswordBytes bounds the input to the hash.
	maxPasswordBytes = 256
)

// checkPasswordPolicy applies the minimum policy to a password chosen by a
// person: at least MinPasswordLen characters, at most 256 bytes, not the
// username, not one repeated character.
func checkPasswordPolicy(field, username, password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return invalidField(field, "must be at least %d characters", MinPasswordLen)
	case len(password) > maxPasswordBytes:
		return invalidField(field, "must be at most %d bytes", maxPasswordBytes)
	case strings.EqualFold(password, username):
		return invalidField(field, "must not be the username")
	case strings.Count(password, password[:1]) == len(password):
		return invalidField(field, "must not repeat one character")
	}
	return nil
}

// passwordAlphabet leaves out look-alikes (0/O/o, 1/l/I) so a password
// read aloud over the phone or printed on paper survives.
const passwordAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// GeneratePassword returns a readable random password of three groups of
// four, e.g. "k7mq-4xtp-9wzc": 12 symbols from 31 ≈ 59 bits.
func GeneratePassword() string {
	const groups, per = 3, 4
	var b strings.Builder
	for g := range groups {
		if g > 0 {
			b.WriteByte('-')
		}
		for range per {
			b.WriteByte(passwordAlphabet[randIndex(len(passwordAlphabet))])
		}
	}
	return b.String()
}

// randIndex returns a uniform index below n (n < 256) by rejection sampling.
func randIndex(n int) int {
	limit := 256 - 256%n
	var buf [1]byte
	for {
		_, _ = rand.Read(buf[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
		if int(buf[0]) < limit {
			return int(buf[0]) % n
		}
	}
}
