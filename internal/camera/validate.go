package camera

import (
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vms-project/vms/internal/httpx"
)

// ValidationError lists every invalid field of a camera. It is an
// httpx.ErrInvalid, so the HTTP layer answers 400 with the field list.
type ValidationError struct {
	Fields []httpx.Field
}

// Error joins the field errors: "name: required; transport: must be auto, tcp or udp".
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return strings.Join(parts, "; ")
}

// Unwrap makes every ValidationError an httpx.ErrInvalid.
func (e *ValidationError) Unwrap() error { return httpx.ErrInvalid }

// ErrorFields lets httpx.WriteError report the fields.
func (e *ValidationError) ErrorFields() []httpx.Field { return e.Fields }

func (e *ValidationError) add(field, msg string) {
	e.Fields = append(e.Fields, httpx.Field{Field: field, Message: msg})
}

func (e *ValidationError) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

const (
	maxName     = 200
	maxUnitCode = 64
	maxSecret   = 256
)

// normName is a camera name as stored and compared: trimmed, in Unicode
// NFC, so that "Cổng" typed precomposed and decomposed is one name.
func normName(s string) string {
	return norm.NFC.String(strings.TrimSpace(s))
}

// normalize puts a camera in its stored form: trimmed text, NFC name, lower-case
// transport and fingerprint, and credentials moved out of the URLs. The
// separate fields win over the URL's userinfo; the main URL's userinfo wins
// over the substream's (a camera has one set of credentials).
func normalize(c *Camera) {
	c.Name = normName(c.Name)
	c.UnitCode = strings.TrimSpace(c.UnitCode)
	c.Transport = strings.ToLower(strings.TrimSpace(c.Transport))
	if c.Transport == "" {
		c.Transport = TransportAuto
	}
	fp := strings.ToLower(strings.TrimSpace(c.TLSFingerprint))
	c.TLSFingerprint = strings.ReplaceAll(fp, ":", "")
	c.RTSPURL = takeCredentials(strings.TrimSpace(c.RTSPURL), c)
	c.SubstreamURL = takeCredentials(strings.TrimSpace(c.SubstreamURL), c)
}

func takeCredentials(raw string, c *Camera) string {
	stripped, cred, ok := splitCredentials(raw)
	if !ok {
		return raw
	}
	if cred.hasUser && c.Username == "" {
		c.Username = cred.user
	}
	if cred.hasPass && c.Password == "" {
		c.Password = cred.pass
	}
	return stripped
}

// Validate reports every invalid field of the camera as it would be stored
// (after moving credentials out of the URLs). It returns nil or a
// *ValidationError. Messages never quote URLs, which may hold passwords.
func (c Camera) Validate() error {
	normalize(&c)
	var e ValidationError
	checkText(&e, "name", c.Name, maxName, true)
	checkText(&e, "unit_code", c.UnitCode, maxUnitCode, true)
	checkURL(&e, "rtsp_url", c.RTSPURL, true)
	checkURL(&e, "substream_url", c.SubstreamURL, false)
	if len(c.Username) > maxSecret {
		e.add("username", "at most 256 bytes")
	}
	if len(c.Password) > maxSecret {
		e.add("password", "at most 256 bytes")
	}
	switch c.Transport {
	case TransportAuto, TransportTCP, TransportUDP:
	default:
		e.add("transport", "must be auto, tcp or udp")
	}
	if c.TLSFingerprint != "" {
		if b, err := hex.DecodeString(c.TLSFingerprint); err != nil || len(b) != 32 {
			e.add("tls_fingerprint", "must be a SHA-256 digest: 64 hex digits, colons allowed")
		} else if !strings.HasPrefix(strings.ToLower(c.RTSPURL), "rtsps://") {
			e.add("tls_fingerprint", "only applies to an rtsps:// URL")
		}
	}
	return e.orNil()
}

func checkText(e *ValidationError, field, s string, maxRunes int, required bool) {
	switch {
	case s == "" && required:
		e.add(field, "required")
	case !utf8.ValidString(s):
		e.add(field, "must be valid UTF-8")
	case utf8.RuneCountInString(s) > maxRunes:
		e.add(field, "at most "+strconv.Itoa(maxRunes)+" characters")
	case strings.ContainsFunc(s, unicode.IsControl):
		e.add(field, "must not contain control characters")
	case strings.ContainsFunc(s, isBidiControl):
		e.add(field, "must not contain bidirectional control characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069)")
	case strings.ContainsFunc(s, isFormat):
		r, _ := utf8.DecodeRuneInString(s[strings.IndexFunc(s, isFormat):])
		e.add(field, fmt.Sprintf("must not contain invisible format characters (U+%04X)", r))
	}
}

// isBidiControl reports the bidirectional embedding, override and isolate
// controls and marks (Unicode UAX #9), which can make a name display
// differently from how it sorts and matches ("Trojan Source").
func isBidiControl(r rune) bool {
	return r == 0x061C || r == 0x200E || r == 0x200F || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// isFormat reports invisible format characters (category Cf: zero-width
// space and joiners, soft hyphen, BOM …), which make two names that look
// alike differ.
func isFormat(r rune) bool { return unicode.Is(unicode.Cf, r) }

// checkURL validates a stored (credential-free) RTSP URL.
func checkURL(e *ValidationError, field, raw string, required bool) {
	if raw == "" {
		if required {
			e.add(field, "required")
		}
		return
	}
	u, err := url.Parse(raw)
	if err != nil {
		e.add(field, "not a valid URL; percent-encode special characters in the user name and password, or use the username and password fields")
		return
	}
	if u.Scheme != "rtsp" && u.Scheme != "rtsps" {
		e.add(field, "scheme must be rtsp or rtsps")
		return
	}
	if u.Opaque != "" || u.Hostname() == "" {
		e.add(field, "host required")
		return
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			e.add(field, "port must be 1–65535")
		}
	}
	// After the host, '@' only appears when a password with an unencoded
	// '/', '?' or '#' split the URL in the wrong place: the "host" is then
	// the user name and part of the password sits in the path. Refuse rather
	// than store a password fragment in a URL that is shown and logged.
	if _, rest, _ := strings.Cut(raw, "://"); u.User != nil || strings.Contains(rest, "@") {
		e.add(field, "'@' after the host: percent-encode special characters in the user name and password (@ as %40, / as %2F, # as %23, ? as %3F), or use the username and password fields")
		return
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		e.add(field, "must not contain '#'; percent-encode it as %23")
	}
	if strings.ContainsFunc(raw, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) {
		e.add(field, "must not contain spaces or control characters")
	}
}
