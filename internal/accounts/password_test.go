package accounts

import (
	"errors"
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	enc, err := HashPassword("pässwörd-123", cheapHash)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("encoding %q", enc)
	}
	again, _ := HashPassword("pässwörd-123", cheapHash)
	if again == enc {
		t.Fatal("same salt twice")
	}
	cases := []struct {
		name, password, encoded string
		params                  HashParams
		ok, stale               bool
		err                     bool
	}{
		{"right", "pässwörd-123", enc, cheapHash, true, false, false},
		{"wrong", "passwörd-123", enc, cheapHash, false, false, false},
		{"right, params moved on", "pässwörd-123", enc, DefaultHashParams(), true, true, false},
		{"not argon2id", "x", "$2y$10$abc", cheapHash, false, false, true},
		{"absurd memory", "x", strings.Replace(enc, "m=64", "m=99999999", 1), cheapHash, false, false, true},
		{"bad base64", "x", enc[:len(enc)-3] + "!!!", cheapHash, false, false, true},
		{"empty", "x", "", cheapHash, false, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, stale, err := VerifyPassword(c.password, c.encoded, c.params)
			if ok != c.ok || stale != c.stale || (err != nil) != c.err {
				t.Fatalf("= %v, %v, %v", ok, stale, err)
			}
		})
	}
}

func TestPasswordPolicy(t *testing.T) {
	cases := []struct {
		password string
		ok       bool
	}{
		{"0123456789", true},
		{"mật khẩu dài", true},
		{"123456789", false},
		{"aaaaaaaaaaaa", false},
		{"Username01", false},
		{strings.Repeat("x", 300) + "y", false},
	}
	for _, c := range cases {
		err := checkPasswordPolicy("password", "username01", c.password)
		if (err == nil) != c.ok || err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: %v", c.password, err)
		}
	}
	for range 100 {
		if p := GeneratePassword(); checkPasswordPolicy("p", "u", p) != nil || strings.ContainsAny(p, "0o1lI") {
			t.Fatalf("generated %q", p)
		}
	}
}

// BenchmarkHashPassword measures the production parameters; the time per
// login is a deployment figure, not a test assertion.
func BenchmarkHashPassword(b *testing.B) {
	p := DefaultHashParams()
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple", p); err != nil {
			b.Fatal(err)
		}
	}
}
