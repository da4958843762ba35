package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"
)

// JWTConfig configures the validation of JWTs issued by an OIDC provider.
type JWTConfig struct {
	Issuer   string   // required: the iss every token must carry
	Audience []string // required: the token's aud must name one of these
	// JWKSURL or JWKSFile (exactly one) give the provider's signing keys. A URL is fetched at
	// start, refreshed hourly and again (rate-limited) when a token names an unknown key id; it
	// must be https unless it is on loopback.
	JWKSURL  string
	JWKSFile string
	// Skew is the clock skew allowed on exp, nbf and iat.
	Skew time.Duration
	// RolesClaim is the claim holding the caller's roles, a dotted path for nested claims
	// ("realm_access.roles"); its value is a list or a space-separated string.
	RolesClaim string
	// RolePrefix, when set, is stripped from claim values before they are read as roles, and
	// values without it are ignored ("aimsgraph:editor" with prefix "aimsgraph:").
	RolePrefix string
	// Now is the clock (tests pin it); time.Now when nil.
	Now func() time.Time
}

// signingMethods are the asymmetric algorithms accepted. HMAC is refused: a JWKS holds public
// keys, and accepting HS256 would let anyone who knows a public key sign tokens.
var signingMethods = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// JWTVerifier validates JWTs and maps their role claims to roles.
type JWTVerifier struct {
	cfg    JWTConfig
	keys   keyfunc.Keyfunc
	parser *jwt.Parser
}

// NewJWTVerifier checks the configuration and loads the keys. ctx bounds the background refresh
// of a JWKS URL.
func NewJWTVerifier(ctx context.Context, cfg JWTConfig) (*JWTVerifier, error) {
	if cfg.Issuer == "" {
		return nil, errors.New("JWT validation needs an issuer")
	}
	if len(cfg.Audience) == 0 {
		return nil, errors.New("JWT validation needs an audience")
	}
	if (cfg.JWKSURL == "") == (cfg.JWKSFile == "") {
		return nil, errors.New("JWT validation needs exactly one of a JWKS URL and a JWKS file")
	}
	if cfg.Skew < 0 || cfg.Skew > 10*time.Minute {
		return nil, fmt.Errorf("JWT clock skew %s must be between 0 and 10m", cfg.Skew)
	}
	if cfg.RolesClaim == "" {
		cfg.RolesClaim = "roles"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	var keys keyfunc.Keyfunc
	var err error
	if cfg.JWKSFile != "" {
		data, rerr := os.ReadFile(cfg.JWKSFile)
		if rerr != nil {
			return nil, fmt.Errorf("JWKS file: %w", rerr)
		}
		keys, err = keyfunc.NewJWKSetJSON(data)
		if err != nil {
			return nil, fmt.Errorf("JWKS file %s: %w", cfg.JWKSFile, err)
		}
	} else {
		if err := checkJWKSURL(cfg.JWKSURL); err != nil {
			return nil, err
		}
		// A token naming an unknown key refreshes the set at most once a minute and never waits
		// for that: forged key ids must not hold requests, and a rotated key is picked up soon.
		keys, err = keyfunc.NewDefaultOverrideCtx(ctx, []string{cfg.JWKSURL}, keyfunc.Override{
			HTTPTimeout:       10 * time.Second,
			RateLimitWaitMax:  time.Millisecond,
			RefreshUnknownKID: rate.NewLimiter(rate.Every(time.Minute), 1),
		})
		if err != nil {
			return nil, fmt.Errorf("JWKS URL %s: %w", cfg.JWKSURL, err)
		}
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods(signingMethods),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience...),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Skew),
		jwt.WithTimeFunc(cfg.Now),
	)
	return &JWTVerifier{cfg: cfg, keys: keys, parser: parser}, nil
}

func checkJWKSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("JWKS URL %q is not a URL", raw)
	}
	if u.Scheme == "https" {
		return nil
	}
	if u.Scheme == "http" {
		if ip := net.ParseIP(u.Hostname()); (ip != nil && ip.IsLoopback()) || u.Hostname() == "localhost" {
			return nil
		}
	}
	return fmt.Errorf("JWKS URL %q must be https (http only on loopback)", raw)
}

// Authenticate implements Authenticator.
func (v *JWTVerifier) Authenticate(ctx context.Context, raw string) (*Principal, error) {
	claims := jwt.MapClaims{}
	if _, err := v.parser.ParseWithClaims(raw, claims, v.keys.KeyfuncCtx(ctx)); err != nil {
		return nil, invalid("%s", jwtReason(err))
	}
	sub, _ := claims.GetSubject()
	if sub == "" {
		return nil, invalid("the JWT has no subject")
	}
	p := &Principal{ID: "jwt:" + v.cfg.Issuer + "#" + sub, Kind: "jwt"}
	for _, value := range claimValues(claims, v.cfg.RolesClaim) {
		if v.cfg.RolePrefix != "" {
			var ok bool
			if value, ok = strings.CutPrefix(value, v.cfg.RolePrefix); !ok {
				continue
			}
		}
		if r, err := ParseRole(value); err == nil && !containsRole(p.Roles, r) {
			p.Roles = append(p.Roles, r)
		}
	}
	return p, nil
}

func containsRole(rs []Role, r Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// jwtReason names the first validation failure in words a caller can act on.
func jwtReason(err error) string {
	for _, known := range []error{
		jwt.ErrTokenMalformed, jwt.ErrTokenSignatureInvalid, jwt.ErrTokenExpired, jwt.ErrTokenNotValidYet,
		jwt.ErrTokenUsedBeforeIssued, jwt.ErrTokenInvalidIssuer, jwt.ErrTokenInvalidAudience,
		jwt.ErrTokenRequiredClaimMissing, jwt.ErrTokenUnverifiable,
	} {
		if errors.Is(err, known) {
			if known == jwt.ErrTokenUnverifiable || known == jwt.ErrTokenSignatureInvalid {
				return known.Error() + " (unknown key, refused algorithm or wrong signature)"
			}
			return known.Error()
		}
	}
	return "token is invalid"
}

// claimValues reads a claim by dotted path as a list of strings.
func claimValues(claims map[string]any, path string) []string {
	var cur any = claims
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	switch v := cur.(type) {
	case string:
		return strings.Fields(v)
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
