package server_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/aimsgraph/aimsgraph/auth"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/server"
)

// TestJWTCallers: JWTs from an OIDC provider (a key pair made here, its JWKS in a file) authenticate
// with the roles of their claim; expired, wrongly signed and malformed ones get 401.
func TestJWTCallers(t *testing.T) {
	s := graphtest.Store(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	forger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	jwks, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{
		"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256", "n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
	}}})
	file := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(file, jwks, 0o600); err != nil {
		t.Fatal(err)
	}
	const issuer = "https://idp.example.com/realms/acme"
	v, err := auth.NewJWTVerifier(context.Background(), auth.JWTConfig{Issuer: issuer, Audience: []string{"aimsgraph"}, JWKSFile: file, Skew: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := startServerWith(t, graphtest.Options(), func(c *server.Config) { c.Auth = auth.Chain{JWT: v} })
	waitFor(t, "ready", time.Minute, func() bool { return ready(t, base) })

	sign := func(k *rsa.PrivateKey, sub string, roles []string, exp time.Time) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
			"iss": issuer, "aud": "aimsgraph", "sub": sub, "roles": roles, "iat": time.Now().Add(-time.Minute).Unix(), "exp": exp.Unix(),
		})
		tok.Header["kid"] = "k1"
		out, err := tok.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	later := time.Now().Add(10 * time.Minute)
	auditor := sign(key, "alice", []string{"auditor"}, later)
	res := call(t, base, auditor, `{ whoami { id roles } }`, nil)
	if !strings.Contains(res.raw, `"id":"jwt:`+issuer+`#alice"`) || !strings.Contains(res.raw, `"roles":["auditor"]`) {
		t.Errorf("whoami: %s", res.raw)
	}
	// A JWT caller's change is audited under its subject; a forbidden one changes nothing.
	before := allCounts(t, s)
	res = call(t, base, auditor, `mutation { applyModule(module: "m", target: "t") }`, nil)
	if res.code() != "FORBIDDEN" || allCounts(t, s)[0] != before[0] {
		t.Errorf("auditor applyModule: %s", res.raw)
	}
	if rec := lastAudit(t, s, "jwt:"+issuer+"#alice"); rec.Outcome != "FORBIDDEN" || rec.ActorKind != "jwt" {
		t.Errorf("audit %+v", rec)
	}
	// Without an aimsgraph role the caller is known but may do nothing.
	if res := call(t, base, sign(key, "bob", []string{"offline_access"}, later), `{ regulations(first: 1) { totalCount } }`, nil); res.code() != "FORBIDDEN" ||
		!strings.Contains(res.raw, "no aimsgraph role") {
		t.Errorf("no role: %s", res.raw)
	}
	for name, tok := range map[string]string{
		"expired":        sign(key, "alice", []string{"admin"}, time.Now().Add(-5*time.Minute)),
		"wrongly signed": sign(forger, "mallory", []string{"admin"}, later),
		"malformed":      "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.bm90LWEtc2lnbmF0dXJl",
	} {
		res := call(t, base, tok, `{ whoami { id } }`, nil)
		if res.status != 401 || res.code() != "UNAUTHENTICATED" {
			t.Errorf("%s: %d %s", name, res.status, res.raw)
		}
	}
}
