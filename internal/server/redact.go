package server

import (
	"regexp"
	"slices"

	"github.com/vms-project/vms/internal/relay"
)

// addrWords replaces a camera address in a status text shown to callers
// who may view but not update the camera.
const addrWords = "camera address"

// addrPatterns find network addresses in error texts, most specific first:
// URLs, the host of a DNS lookup, bracketed IPv6 (with port), bare IPv6
// with "::", IPv4 (with port), then host:port.
var addrPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s"'<>()]*`),
	regexp.MustCompile(`(?i)(\blookup )[^\s:]+`),
	regexp.MustCompile(`\[[0-9A-Fa-f:.%\w-]*\](:\d+)?`),
	regexp.MustCompile(`(?i)(?:\b[0-9a-f]{1,4})?(?::[0-9a-f]{0,4}){0,6}::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?(?:%\w+)?\b`),
	regexp.MustCompile(`\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b`),
	regexp.MustCompile(`(?i)\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*:\d{1,5}\b`),
}

// redactAddrs replaces every host, IP address, host:port and URL in s
// with "camera address".
func redactAddrs(s string) string {
	for i, re := range addrPatterns {
		if i == 1 { // keep "lookup "
			s = re.ReplaceAllString(s, "${1}"+addrWords)
			continue
		}
		s = re.ReplaceAllString(s, addrWords)
	}
	return s
}

// redactStatus is camera.Handlers.RedactStatus and the events' viewer
// form of a status: Reason and Warnings without camera addresses. The
// argument is not modified; anything but a relay.Status passes unchanged.
func redactStatus(status any) any {
	st, ok := status.(relay.Status)
	if !ok {
		return status
	}
	return redactRelayStatus(st)
}

func redactRelayStatus(st relay.Status) relay.Status {
	st.Reason = redactAddrs(st.Reason)
	if st.Warnings != nil {
		st.Warnings = slices.Clone(st.Warnings)
		for i := range st.Warnings {
			st.Warnings[i] = redactAddrs(st.Warnings[i])
		}
	}
	return st
}
