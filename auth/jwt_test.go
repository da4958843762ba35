package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// testKeys are key pairs generated for the test run: rsaKey and ecKey are published in the JWKS,
// otherKey is not (it signs forged tokens under rsaKey's key id).
type testKeys struct {
	rsaKey, otherKey *rsa.PrivateKey
	ecKey            *ecdsa.PrivateKey
}

func newTestKeys(t *testing.T) testKeys {
	t.Helper()
	r1, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return testKeys{rsaKey: r1, otherKey: r2, ecKey: ec}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// jwks is the JSON Web Key Set publishing the public halves of rsaKey (kid rsa-1) and ecKey (kid ec-1).
func (k testKeys) jwks() []byte {
	pad := func(b []byte, n int) []byte { return append(make([]byte, n-len(b)), b...) }
	set := map[string]any{"keys": []map[string]any{
		{"kty": "RSA", "kid": "rsa-1", "use": "sig", "alg": "RS256", "n": b64(k.rsaKey.N.Bytes()), "e": b64(big.NewInt(int64(k.rsaKey.E)).Bytes())},
		{"kty": "EC", "kid": "ec-1", "use": "sig", "alg": "ES256", "crv": "P-256", "x": b64(pad(k.ecKey.X.Bytes(), 32)), "y": b64(pad(k.ecKey.Y.Bytes(), 32))},
	}}
	data, _ := json.Marshal(set)
	return data
}

var testNow = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func claims(mod func(jwt.MapClaims)) jwt.MapClaims {
	c := jwt.MapClaims{
		"iss": "https://idp.example.com/realms/acme", "aud": []string{"aimsgraph"}, "sub": "u-4711",
		"iat": testNow.Add(-time.Minute).Unix(), "exp": testNow.Add(10 * time.Minute).Unix(),
		"roles": []string{"auditor", "unrelated"},
	}
	if mod != nil {
		mod(c)
	}
	return c
}

func sign(t *testing.T, method jwt.SigningMethod, kid string, key any, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJWTValidation(t *testing.T) {
	keys := newTestKeys(t)
	file := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(file, keys.jwks(), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := NewJWTVerifier(context.Background(), JWTConfig{
		Issuer: "https://idp.example.com/realms/acme", Audience: []string{"aimsgraph", "aimsgraph-dashboard"},
		JWKSFile: file, Skew: time.Minute, Now: func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := sign(t, jwt.SigningMethodHS256, "rsa-1", []byte("a shared secret"), claims(nil))
	unsigned, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims(nil)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		token string
		roles string // comma-separated roles of an accepted token
		err   string // the reason of a refused one
	}{
		{name: "valid RS256", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(nil)), roles: "auditor"},
		{name: "valid ES256", token: sign(t, jwt.SigningMethodES256, "ec-1", keys.ecKey, claims(nil)), roles: "auditor"},
		{name: "second audience", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) { c["aud"] = "aimsgraph-dashboard" })), roles: "auditor"},
		{name: "roles as a string", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) { c["roles"] = "viewer editor" })), roles: "viewer,editor"},
		{name: "no known role", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) { c["roles"] = []string{"root"} })), roles: ""},
		{name: "expired within skew", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) { c["exp"] = testNow.Add(-30 * time.Second).Unix() })), roles: "auditor"},
		{name: "expired", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) { c["exp"] = testNow.Add(-2 * time.Minute).Unix() })), err: "token is expired"},
		{name: "no expiry", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) { delete(c, "exp") })), err: "missing required claim"},
		{name: "not yet valid", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) { c["nbf"] = testNow.Add(5 * time.Minute).Unix() })), err: "not valid yet"},
		{name: "issued in the future", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) { c["iat"] = testNow.Add(5 * time.Minute).Unix() })), err: "used before issued"},
		{name: "wrong issuer", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) { c["iss"] = "https://evil.example.com" })), err: "invalid issuer"},
		{name: "wrong audience", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) { c["aud"] = "another-app" })), err: "invalid audience"},
		{name: "no subject", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) { delete(c, "sub") })), err: "no subject"},
		{name: "wrongly signed", token: sign(t, jwt.SigningMethodRS256, "rsa-1", keys.otherKey, claims(nil)), err: "signature is invalid"},
		{name: "unknown key id", token: sign(t, jwt.SigningMethodRS256, "rsa-9", keys.otherKey, claims(nil)), err: "unverifiable"},
		{name: "HMAC with a shared secret", token: hs, err: "refused algorithm"},
		{name: "alg none", token: unsigned, err: "refused algorithm"},
		{name: "tampered payload", token: tamper(sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) { c["roles"] = "viewer" }))), err: "signature is invalid"},
		{name: "malformed", token: "abc.def.ghi", err: "malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Chain{JWT: v}.Authenticate(context.Background(), tc.token)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				if strings.Contains(err.Error(), tc.token) {
					t.Errorf("the error repeats the token")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.ID != "jwt:https://idp.example.com/realms/acme#u-4711" || p.Kind != "jwt" || strings.Join(p.RoleNames(), ",") != tc.roles {
				t.Errorf("principal %+v, want roles %q", p, tc.roles)
			}
		})
	}
}

// tamper swaps the payload for one granting admin, keeping the header and signature.
func tamper(token string) string {
	parts := strings.Split(token, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	parts[1] = b64([]byte(strings.Replace(string(payload), `"roles":"viewer"`, `"roles":"admin"`, 1)))
	return strings.Join(parts, ".")
}

func TestJWTNestedRolesWithPrefixFromURL(t *testing.T) {
	keys := newTestKeys(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(keys.jwks())
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	v, err := NewJWTVerifier(ctx, JWTConfig{
		Issuer: "https://idp.example.com/realms/acme", Audience: []string{"aimsgraph"}, JWKSURL: srv.URL + "/certs",
		RolesClaim: "realm_access.roles", RolePrefix: "aimsgraph:", Now: func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	tok := sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(func(c jwt.MapClaims) {
		c["realm_access"] = map[string]any{"roles": []string{"aimsgraph:editor", "admin", "offline_access"}}
	}))
	p, err := v.Authenticate(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(p.RoleNames(), ",") != "editor" {
		t.Errorf("roles %v, want editor only (admin lacks the prefix)", p.RoleNames())
	}
}

func TestJWTConfigRefused(t *testing.T) {
	for _, tc := range []struct {
		cfg  JWTConfig
		want string
	}{
		{JWTConfig{Audience: []string{"a"}, JWKSFile: "x"}, "needs an issuer"},
		{JWTConfig{Issuer: "i", JWKSFile: "x"}, "needs an audience"},
		{JWTConfig{Issuer: "i", Audience: []string{"a"}}, "exactly one of"},
		{JWTConfig{Issuer: "i", Audience: []string{"a"}, JWKSURL: "http://idp.example.com/certs"}, "must be https"},
		{JWTConfig{Issuer: "i", Audience: []string{"a"}, JWKSFile: "testdata/missing.json"}, "JWKS file"},
		{JWTConfig{Issuer: "i", Audience: []string{"a"}, JWKSFile: "testdata/tokens.yaml"}, "JWKS file testdata/tokens.yaml"},
		{JWTConfig{Issuer: "i", Audience: []string{"a"}, JWKSFile: "x", Skew: time.Hour}, "clock skew"},
	} {
		if _, err := NewJWTVerifier(context.Background(), tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.cfg, err, tc.want)
		}
	}
}

// BenchmarkAuthenticate measures what authentication adds to each request.
func BenchmarkAuthenticate(b *testing.B) {
	keys := testKeys{}
	var err error
	if keys.rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		b.Fatal(err)
	}
	if keys.ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(b.TempDir(), "jwks.json")
	if err := os.WriteFile(file, keys.jwks(), 0o600); err != nil {
		b.Fatal(err)
	}
	v, err := NewJWTVerifier(context.Background(), JWTConfig{Issuer: "https://idp.example.com/realms/acme", Audience: []string{"aimsgraph"},
		JWKSFile: file, Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	token, hash, _ := NewToken()
	set, err := LoadTokens("", "bench:viewer:"+hash)
	if err != nil {
		b.Fatal(err)
	}
	signed := func(method jwt.SigningMethod, kid string, key any) string {
		t := jwt.NewWithClaims(method, claims(nil))
		t.Header["kid"] = kid
		out, err := t.SignedString(key)
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	for _, bc := range []struct {
		name  string
		a     Authenticator
		token string
	}{
		{"api-token", Chain{Tokens: set}, token},
		{"jwt-RS256", Chain{JWT: v}, signed(jwt.SigningMethodRS256, "rsa-1", keys.rsaKey)},
		{"jwt-ES256", Chain{JWT: v}, signed(jwt.SigningMethodES256, "ec-1", keys.ecKey)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.a.Authenticate(context.Background(), bc.token); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestJWKSURLPicksUpARotatedKey: a token signed with a key added to the provider's JWKS after
// start validates once a token with an unknown key id has made the verifier refresh the set.
func TestJWKSURLPicksUpARotatedKey(t *testing.T) {
	keys := newTestKeys(t)
	var rotated atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		set := keys.jwks()
		if rotated.Load() {
			set = testKeys{rsaKey: keys.otherKey, ecKey: keys.ecKey}.jwks() // otherKey published as rsa-1
		}
		_, _ = w.Write(set)
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	v, err := NewJWTVerifier(ctx, JWTConfig{Issuer: "https://idp.example.com/realms/acme", Audience: []string{"aimsgraph"}, JWKSURL: srv.URL, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Authenticate(ctx, sign(t, jwt.SigningMethodRS256, "rsa-1", keys.rsaKey, claims(nil))); err != nil {
		t.Fatal(err)
	}
	// The provider rotates: its new key has a new id.
	rotated.Store(true)
	tok := sign(t, jwt.SigningMethodRS256, "rsa-1", keys.otherKey, claims(nil))
	// Same kid, new key: the cached key refuses it (signature), no refresh is due for a known kid.
	if _, err := v.Authenticate(ctx, tok); err == nil {
		t.Fatal("a token signed by a key the cached set does not hold was accepted")
	}
	if _, err := v.Authenticate(ctx, sign(t, jwt.SigningMethodRS256, "rsa-unknown", keys.otherKey, claims(nil))); err == nil {
		t.Fatal("an unknown key id was accepted")
	}
	// The unknown kid triggered a refresh: the rotated key (published as rsa-1) now validates.
	if _, err := v.Authenticate(ctx, tok); err != nil {
		t.Errorf("after the refresh the rotated key is still refused: %v", err)
	}
}
