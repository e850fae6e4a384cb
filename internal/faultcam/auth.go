package faultcam

import (
	"crypto/md5" //nolint:gosec // RTSP Digest is MD5 (RFC 2617 §3.2.2)
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

const realm = "faultcam"

// challenge is the WWW-Authenticate value of a 401.
func (c *Camera) challenge() string {
	if c.cfg.Auth == AuthBasic {
		return fmt.Sprintf("Basic realm=%q", realm)
	}
	return fmt.Sprintf("Digest realm=%q, nonce=%q", realm, c.nonce)
}

// authorized checks a request's credentials against the configured ones.
func (c *Camera) authorized(req *request) bool {
	if c.cfg.Username == "" {
		return true
	}
	h := req.header["authorization"]
	switch {
	case c.cfg.Auth == AuthBasic && strings.HasPrefix(h, "Basic "):
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[len("Basic "):]))
		return err == nil && string(raw) == c.cfg.Username+":"+c.cfg.Password
	case c.cfg.Auth == AuthDigest && strings.HasPrefix(h, "Digest "):
		p := parseAuthParams(h[len("Digest "):])
		if p["username"] != c.cfg.Username || p["realm"] != realm || p["nonce"] != c.nonce {
			return false
		}
		ha1 := md5hex(c.cfg.Username + ":" + realm + ":" + c.cfg.Password)
		ha2 := md5hex(req.method + ":" + p["uri"])
		return p["response"] == md5hex(ha1+":"+c.nonce+":"+ha2)
	}
	return false
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s)) //nolint:gosec // protocol-mandated
	return hex.EncodeToString(sum[:])
}

// parseAuthParams splits `a="x, y", b=z` into a map.
func parseAuthParams(s string) map[string]string {
	out := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimLeft(strings.TrimSpace(s), ",") {
		s = strings.TrimSpace(s)
		k, rest, ok := strings.Cut(s, "=")
		if !ok {
			break
		}
		k = strings.ToLower(strings.TrimSpace(k))
		rest = strings.TrimSpace(rest)
		var v string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				break
			}
			v, s = rest[1:1+end], rest[2+end:]
		} else {
			v, s, _ = strings.Cut(rest, ",")
			v = strings.TrimSpace(v)
		}
		out[k] = v
	}
	return out
}
