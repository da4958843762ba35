package audit

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"
)

// secretKey matches variable names whose values are never recorded.
var secretKey = regexp.MustCompile(`(?i)(password|passwd|secret|token|authorization|api[-_]?key|credential|private[-_]?key)`)

// secretValue matches values that look like credentials whatever their name: aimsgraph API
// tokens and JWTs.
var secretValue = regexp.MustCompile(`^(agt_[A-Za-z0-9_-]+|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$`)

// maxValue bounds a recorded string value; longer ones are cut (a hostile request must not grow
// the trail by its whole body).
const maxValue = 1024

// Redacted replaces a secret value.
const Redacted = "[REDACTED]"

// Redact returns vars as JSON with secrets replaced and long strings cut.
func Redact(vars map[string]any) string {
	if len(vars) == 0 {
		return "{}"
	}
	// A round trip through JSON turns structs (GraphQL input objects) into maps by their JSON names.
	data, err := json.Marshal(vars)
	if err != nil {
		return fmt.Sprintf(`{"unrecordable":%q}`, err.Error())
	}
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		return fmt.Sprintf(`{"unrecordable":%q}`, err.Error())
	}
	out, _ := json.Marshal(redact(generic))
	return string(out)
}

func redact(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if secretKey.MatchString(k) {
				x[k] = Redacted
			} else {
				x[k] = redact(val)
			}
		}
		return x
	case []any:
		for i := range x {
			x[i] = redact(x[i])
		}
		return x
	case string:
		if secretValue.MatchString(x) {
			return Redacted
		}
		return truncate(x, maxValue)
	}
	return v
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s…[%d more bytes]", s[:cut], len(s)-cut)
}

func newID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "audit/" + time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}
