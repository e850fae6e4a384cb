package camera

import (
	"net/url"
	"regexp"
	"strings"
)

// credentials is what splitCredentials found in a URL's userinfo.
type credentials struct {
	user, pass       string
	hasUser, hasPass bool
}

// splitCredentials removes the userinfo from an RTSP URL and returns it
// percent-decoded ("p%40ss" becomes "p@ss"). The rest of the URL is kept
// byte for byte rather than re-serialized, because cameras are picky about
// their paths. ok is false when raw does not parse; the caller keeps raw and
// lets validation report it (without echoing it).
func splitCredentials(raw string) (stripped string, cred credentials, ok bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return raw, credentials{}, false
	}
	if u.User == nil {
		return raw, credentials{}, true
	}
	cred.user = u.User.Username()
	cred.hasUser = true
	cred.pass, cred.hasPass = u.User.Password()
	// url.Parse ends the authority at the first '/', '?' or '#' and takes
	// the last '@' inside it; cut the same span.
	scheme, rest, found := strings.Cut(raw, "://")
	if !found {
		return raw, credentials{}, false
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return raw, credentials{}, false
	}
	return scheme + "://" + rest[at+1:], cred, true
}

// queryPassword matches password parameters some cheap cameras (XMEye and
// clones) take in the path: rtsp://host/user=admin&password=123&channel=1.
var queryPassword = regexp.MustCompile(`(?i)\b(password|passwd|pwd|pass)=[^&;?#/]+`)

// RedactURL replaces the password in raw with "***", both in the userinfo
// and in "password=" parameters. It works on the raw string, never on a
// parse result, so it is safe on anything. A password holding an unencoded
// '@', '/', '?' or '#' makes the end of the userinfo ambiguous, so everything
// up to the last '@' counts as userinfo. That over-redacts a URL with '@' in
// its path, which stored URLs never have (validation rejects it), and it
// never returns the password.
func RedactURL(raw string) string {
	return queryPassword.ReplaceAllString(redactUserinfo(raw), "$1=***")
}

func redactUserinfo(raw string) string {
	scheme, rest, found := strings.Cut(raw, "://")
	if found {
		scheme += "://"
	} else {
		scheme, rest = "", raw
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	user, _, hasPass := strings.Cut(rest[:at], ":")
	if !hasPass {
		return raw
	}
	return scheme + user + ":***" + rest[at:]
}
