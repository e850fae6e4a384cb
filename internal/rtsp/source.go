// Package rtsp pulls one camera's RTSP stream with gortsplib, reconnecting
// with capped exponential backoff, and hands the relay whole access units.
// It imports nothing from the rest of the application.
package rtsp

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
)

// Transport modes a camera can be configured with.
const (
	TransportAuto = "auto"
	TransportTCP  = "tcp"
	TransportUDP  = "udp"
)

// Source says where and how to pull a camera. Credentials are kept apart
// from URL so the URL can be logged; if URL carries credentials anyway, the
// separate fields win.
type Source struct {
	URL       string
	Username  string
	Password  string
	Transport string // auto (UDP, then TCP), tcp or udp
	// TLSFingerprint is the hex SHA-256 of an RTSPS camera's certificate.
	// When set, that certificate is accepted even if self-signed; when
	// empty, the certificate must verify against the system roots.
	TLSFingerprint string
}

// parse returns the URL with credentials applied, ready for gortsplib.
func (s Source) parse() (*base.URL, error) {
	u, err := base.ParseURL(s.URL)
	if err != nil {
		return nil, fmt.Errorf("invalid camera URL %s: %w", Redact(s.URL), redactErr(err, s))
	}
	if u.Scheme != "rtsp" && u.Scheme != "rtsps" {
		return nil, fmt.Errorf("camera URL %s: scheme must be rtsp or rtsps", Redact(s.URL))
	}
	if s.Username != "" || s.Password != "" {
		u.User = url.UserPassword(s.Username, s.Password)
	}
	return u, nil
}

func (s Source) transport() (*gortsplib.Transport, error) {
	switch strings.ToLower(s.Transport) {
	case "", TransportAuto:
		return nil, nil
	case TransportTCP:
		t := gortsplib.TransportTCP
		return &t, nil
	case TransportUDP:
		t := gortsplib.TransportUDP
		return &t, nil
	}
	return nil, fmt.Errorf("transport %q: must be auto, tcp or udp", s.Transport)
}

// tlsConfig pins the certificate when a fingerprint is configured.
func (s Source) tlsConfig(host string) (*tls.Config, error) {
	fp := strings.ToLower(strings.NewReplacer(":", "", " ", "").Replace(s.TLSFingerprint))
	if fp == "" {
		return &tls.Config{ServerName: hostOnly(host), MinVersion: tls.VersionTLS12}, nil
	}
	want, err := hex.DecodeString(fp)
	if err != nil || len(want) != sha256.Size {
		return nil, errors.New("tls fingerprint must be the 64 hex digits of a SHA-256 hash")
	}
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		// Verification is replaced by the pin below, which is stricter than
		// a CA check for a camera with a self-signed certificate.
		InsecureSkipVerify: true, //nolint:gosec // pinned by VerifyPeerCertificate
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return errors.New("camera sent no TLS certificate")
			}
			got := sha256.Sum256(raw[0])
			if !strings.EqualFold(hex.EncodeToString(got[:]), fp) {
				return fmt.Errorf("camera TLS certificate fingerprint %s does not match the configured one",
					hex.EncodeToString(got[:]))
			}
			return nil
		},
	}, nil
}

func hostOnly(hostport string) string {
	if i := strings.LastIndexByte(hostport, ':'); i > 0 && !strings.HasSuffix(hostport, "]") {
		return strings.Trim(hostport[:i], "[]")
	}
	return strings.Trim(hostport, "[]")
}

// Redact returns rawURL with any password replaced by "***". It never
// returns the password, even for input it cannot parse.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		// Cut everything between the scheme and the last '@' before the path.
		rest := rawURL
		scheme := ""
		if i := strings.Index(rawURL, "://"); i >= 0 {
			scheme, rest = rawURL[:i+3], rawURL[i+3:]
		}
		if at := strings.LastIndexByte(rest, '@'); at >= 0 {
			return scheme + "***@" + rest[at+1:]
		}
		return rawURL
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "***")
		}
	}
	return u.String()
}

// redactErr strips the source's password from an error text: libraries
// quote URLs in their errors.
func redactErr(err error, s Source) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	// Userinfo of any URL in the text, whatever the password is.
	clean := urlUserinfo.ReplaceAllString(msg, "${1}***@")
	secrets := []string{s.Password, url.QueryEscape(s.Password), url.PathEscape(s.Password)}
	if u, perr := url.Parse(s.URL); perr == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			secrets = append(secrets, p)
		}
	}
	for _, secret := range secrets {
		// Elsewhere in free text: a password of a few characters cannot
		// be told from the words around it ("1" in "401"), so only longer
		// ones are searched for.
		if len(secret) >= minRedactLen {
			clean = strings.ReplaceAll(clean, secret, "***")
		}
	}
	if clean == msg {
		return err
	}
	return errors.New(clean)
}

// minRedactLen is the shortest password searched for in error texts.
const minRedactLen = 4

// urlUserinfo matches the user:password@ of an rtsp(s) URL in a text.
var urlUserinfo = regexp.MustCompile(`(?i)(rtsps?://[^/\s:@]*:)[^/\s@]*@`)
