package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
)

// TokenPrefix starts every aimsgraph API token, so that a leaked token is easy to recognise (and
// to scan for) and is never mistaken for a JWT.
const TokenPrefix = "agt_"

// Token is one configured static API token. Only its SHA-256 hash is kept: tokens are 256 random
// bits, so a fast hash is enough, and neither the file nor memory holds the token itself.
type Token struct {
	Name          string   `yaml:"name"`
	Roles         []string `yaml:"roles"`
	SHA256        string   `yaml:"sha256"`
	RatePerSecond float64  `yaml:"ratePerSecond,omitempty"`
	Burst         int      `yaml:"burst,omitempty"`
}

type tokenFile struct {
	Tokens []Token `yaml:"tokens"`
}

var (
	tokenNamePattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	sha256Pattern    = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// NewToken returns a fresh random token and the hash to configure for it.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("random token: %w", err)
	}
	token = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the hash under which a token is configured.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// TokenSet is the configured static tokens, looked up by hash. Reload re-reads its sources, so
// that an operator can add or revoke tokens without a restart.
type TokenSet struct {
	file, env string

	mu     sync.RWMutex
	byHash map[string]*Principal
	tokens []Token
}

// LoadTokens reads the token file (YAML, see SECURITY.md) and the env form
// ("name:role[+role]:sha256", entries separated by commas or white space); either may be empty.
func LoadTokens(file, env string) (*TokenSet, error) {
	s := &TokenSet{file: file, env: env}
	if err := s.Reload(); err != nil {
		return nil, err
	}
	return s, nil
}

// Reload re-reads the file and env form; on an error the previous tokens stay in force.
func (s *TokenSet) Reload() error {
	var all []Token
	if s.file != "" {
		data, err := os.ReadFile(s.file)
		if err != nil {
			return fmt.Errorf("token file: %w", err)
		}
		var f tokenFile
		if err := yaml.UnmarshalWithOptions(data, &f, yaml.Strict(), yaml.DisallowUnknownField()); err != nil {
			// Without the source excerpt: a token pasted by mistake must not reach the log.
			return fmt.Errorf("token file %s: %s", s.file, yaml.FormatError(err, false, false))
		}
		for i := range f.Tokens {
			if err := f.Tokens[i].check(); err != nil {
				return fmt.Errorf("token file %s: tokens[%d]: %w", s.file, i, err)
			}
		}
		all = append(all, f.Tokens...)
	}
	if s.env != "" {
		for i, entry := range strings.FieldsFunc(s.env, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
			parts := strings.Split(entry, ":")
			if len(parts) != 3 {
				return fmt.Errorf("AIMSGRAPH_TOKENS entry %d: want name:role[+role]:sha256, got %d fields", i+1, len(parts))
			}
			t := Token{Name: parts[0], Roles: strings.Split(parts[1], "+"), SHA256: parts[2]}
			if err := t.check(); err != nil {
				return fmt.Errorf("AIMSGRAPH_TOKENS entry %d: %w", i+1, err)
			}
			all = append(all, t)
		}
	}
	byHash := make(map[string]*Principal, len(all))
	names := map[string]bool{}
	for _, t := range all {
		if names[t.Name] {
			return fmt.Errorf("token name %q is configured twice", t.Name)
		}
		names[t.Name] = true
		if _, dup := byHash[t.SHA256]; dup {
			return fmt.Errorf("token %q has the same hash as another token", t.Name)
		}
		p := &Principal{ID: "token:" + t.Name, Kind: "token", RatePerSecond: t.RatePerSecond, Burst: t.Burst}
		for _, r := range t.Roles {
			role, _ := ParseRole(r)
			p.Roles = append(p.Roles, role)
		}
		byHash[t.SHA256] = p
	}
	s.mu.Lock()
	s.byHash, s.tokens = byHash, all
	s.mu.Unlock()
	return nil
}

func (t *Token) check() error {
	if !tokenNamePattern.MatchString(t.Name) {
		return fmt.Errorf("name %q must be 1 to 64 letters, digits or ._-", t.Name)
	}
	t.SHA256 = strings.ToLower(t.SHA256)
	if !sha256Pattern.MatchString(t.SHA256) {
		return fmt.Errorf("token %s: sha256 must be 64 hex digits (the output of `aimsgraph token hash`), not the token", t.Name)
	}
	if len(t.Roles) == 0 {
		return fmt.Errorf("token %s: no roles", t.Name)
	}
	for i, r := range t.Roles {
		role, err := ParseRole(r)
		if err != nil {
			return fmt.Errorf("token %s: %w", t.Name, err)
		}
		t.Roles[i] = string(role)
	}
	if t.RatePerSecond < 0 || t.Burst < 0 {
		return fmt.Errorf("token %s: ratePerSecond and burst must not be negative", t.Name)
	}
	return nil
}

// Len is the number of configured tokens.
func (s *TokenSet) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.tokens)
}

// List returns the configured tokens (names, roles and limits; hashes included, tokens never).
func (s *TokenSet) List() []Token {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := slices.Clone(s.tokens)
	for i := range out {
		out[i].Roles = slices.Clone(out[i].Roles)
	}
	return out
}

var errUnknownToken = errors.New("unknown or revoked API token")

// Authenticate implements Authenticator.
func (s *TokenSet) Authenticate(_ context.Context, token string) (*Principal, error) {
	s.mu.RLock()
	p, ok := s.byHash[HashToken(token)]
	s.mu.RUnlock()
	if !ok {
		return nil, &InvalidError{Reason: errUnknownToken.Error()}
	}
	return p, nil
}
