package accounts

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
)

// tokenBytes is the entropy of a session token.
const tokenBytes = 32

// maxTokenLen rejects junk before hashing it: a token is 43 characters.
const maxTokenLen = 64

// newToken returns a random session token: 32 bytes, base64url without
// padding. Only its SHA-256 is stored.
func newToken() string {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// csrfToken derives the session's CSRF token from its session token:
// HMAC-SHA256(token, "vms csrf"). It needs no storage, differs from the
// stored hash, and cannot be computed without the token itself.
func csrfToken(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("vms csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validCSRF compares in constant time.
func validCSRF(token, presented string) bool {
	want := csrfToken(token)
	return subtle.ConstantTimeCompare([]byte(want), []byte(presented)) == 1
}

// hostOnly strips the port from a remote address, so the rate limit and
// the audit log see one key per machine.
func hostOnly(remoteAddr string) string {
	if h, _, err := net.SplitHostPort(remoteAddr); err == nil {
		return h
	}
	return remoteAddr
}
