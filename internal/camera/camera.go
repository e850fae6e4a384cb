// Package camera owns the camera model, its SQLite store, bulk import and
// the /api/v1/cameras HTTP handlers. Credentials are kept out of URLs at
// rest and out of every answer, log line and error this package produces.
package camera

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"
)

// Transports a camera may be pulled with.
const (
	TransportAuto = "auto" // try UDP, fall back to TCP interleaved
	TransportTCP  = "tcp"
	TransportUDP  = "udp"
)

// Camera is one RTSP source. RTSPURL and SubstreamURL never hold credentials
// once stored: Store moves any userinfo into Username and Password.
type Camera struct {
	ID           int64
	Name         string
	UnitCode     string
	RTSPURL      string
	SubstreamURL string
	Username     string
	Password     string
	// Transport is TransportAuto, TransportTCP or TransportUDP.
	Transport string
	// OnDemand cameras are pulled only while someone watches (plus the relay's
	// linger); the others are pulled all the time.
	OnDemand bool
	// TLSFingerprint pins an rtsps:// camera's certificate: SHA-256 of the DER
	// certificate, stored as 64 lower-case hex digits without colons.
	TLSFingerprint string
	Enabled        bool
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Source is what the RTSP client needs to pull a camera. URL has no
// credentials; String and LogValue hide the password.
type Source struct {
	URL            string
	Username       string
	Password       string
	Transport      string
	TLSFingerprint string
}

// Source returns the main stream's pull parameters. Credentials still
// embedded in the URL (a Camera that was never stored) are moved out, with
// the separate fields taking precedence as on save.
func (c Camera) Source() Source {
	normalize(&c)
	return Source{
		URL:            c.RTSPURL,
		Username:       c.Username,
		Password:       c.Password,
		Transport:      c.Transport,
		TLSFingerprint: c.TLSFingerprint,
	}
}

// String describes the source without its password.
func (s Source) String() string {
	return fmt.Sprintf("%s user=%q password=%s transport=%s", RedactURL(s.URL), s.Username, mask(s.Password), s.Transport)
}

// LogValue logs the source without its password.
func (s Source) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("url", RedactURL(s.URL)),
		slog.String("username", s.Username),
		slog.String("password", mask(s.Password)),
		slog.String("transport", s.Transport),
	)
}

// String identifies the camera for messages, without credentials.
func (c Camera) String() string {
	return fmt.Sprintf("camera %d %q (%s)", c.ID, c.Name, RedactURL(c.RTSPURL))
}

// GoString keeps %#v from printing the password.
func (c Camera) GoString() string { return c.String() }

// LogValue logs the camera without credentials.
func (c Camera) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int64("id", c.ID),
		slog.String("name", c.Name),
		slog.String("unit", c.UnitCode),
		slog.String("url", RedactURL(c.RTSPURL)),
	)
}

// MarshalJSON encodes the API shape (see the handlers), so that even an
// accidental json.Marshal of a Camera never carries the password.
func (c Camera) MarshalJSON() ([]byte, error) {
	return json.Marshal(toJSON(c, nil, true))
}

func mask(secret string) string {
	if secret == "" {
		return `""`
	}
	return "***"
}

// defaults is the camera a create or an import row starts from.
func defaults() Camera {
	return Camera{Transport: TransportAuto, OnDemand: true, Enabled: true}
}
