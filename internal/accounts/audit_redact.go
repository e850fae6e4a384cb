package accounts

import "strings"

// redacted replaces secret values in audit details.
const redacted = "***"

// redact copies d, replacing the value of every key (at any depth) whose
// name contains password, token, secret or credential with "***". Booleans
// and nulls are kept: they carry no secret, and must_change_password: true
// is worth reading.
func redact(d map[string]any) map[string]any {
	if d == nil {
		return nil
	}
	out := make(map[string]any, len(d))
	for k, v := range d {
		if secretKey(k) {
			switch v.(type) {
			case bool, nil:
				out[k] = v
			default:
				out[k] = redacted
			}
			continue
		}
		out[k] = redactValue(v)
	}
	return out
}

func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return redact(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redactValue(e)
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redact(e)
		}
		return out
	}
	return v
}

func secretKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"password", "token", "secret", "credential"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}
