package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

var (
	logLevels  = []string{"debug", "info", "warn", "error"}
	logFormats = []string{"text", "json"}
	iceSchemes = []string{"stun:", "stuns:", "turn:", "turns:"}
)

// Validate reports every invalid key at once, each error naming its key, so
// an operator fixes the file in one pass instead of one restart per mistake.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if err := checkListen(c.HTTP.Listen); err != nil {
		add("http.listen: %v", err)
	}
	if (c.HTTP.TLSCert == "") != (c.HTTP.TLSKey == "") {
		add("http.tls_cert and http.tls_key must be set together")
	}
	if c.WebRTC.Port < 0 || c.WebRTC.Port > 65535 {
		add("webrtc.port must be 0–65535, got %d", c.WebRTC.Port)
	}
	for i, ip := range c.WebRTC.PublicIPs {
		if _, err := netip.ParseAddr(ip); err != nil {
			add("webrtc.public_ips[%d]: %q is not an IP address", i, ip)
		}
	}
	for i, s := range c.WebRTC.ICEServers {
		errs = append(errs, checkICEServer(fmt.Sprintf("webrtc.ice_servers[%d]", i), s)...)
	}
	if strings.TrimSpace(c.Database.Path) == "" {
		add("database.path is required")
	}
	if !slices.Contains(logLevels, c.Log.Level) {
		add("log.level must be one of %s, got %q", strings.Join(logLevels, ", "), c.Log.Level)
	}
	if !slices.Contains(logFormats, c.Log.Format) {
		add("log.format must be one of %s, got %q", strings.Join(logFormats, ", "), c.Log.Format)
	}
	if c.Relay.Linger < 0 {
		add("relay.linger must not be negative, got %s", c.Relay.Linger)
	}
	if c.Relay.MaxViewersPerCamera < 1 {
		add("relay.max_viewers_per_camera must be at least 1, got %d", c.Relay.MaxViewersPerCamera)
	}
	return errors.Join(errs...)
}

func checkListen(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want host:port such as \":8080\", got %q", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port must be 0–65535, got %q", port)
	}
	return nil
}

func checkICEServer(key string, s ICEServer) []error {
	var errs []error
	if len(s.URLs) == 0 {
		errs = append(errs, fmt.Errorf("%s.urls: at least one URL is required", key))
	}
	for i, u := range s.URLs {
		if !slices.ContainsFunc(iceSchemes, func(p string) bool { return strings.HasPrefix(u, p) }) {
			errs = append(errs, fmt.Errorf("%s.urls[%d]: %q must start with stun:, stuns:, turn: or turns:", key, i, u))
			continue
		}
		// Browsers reject a TURN entry without credentials and then drop the
		// whole RTCPeerConnection, so catch it here.
		if strings.HasPrefix(u, "turn") && (s.Username == "" || s.Credential == "") {
			errs = append(errs, fmt.Errorf("%s: TURN URL %q needs username and credential", key, u))
		}
	}
	return errs
}
