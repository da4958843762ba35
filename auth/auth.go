// Package auth says who is calling and what they may do: principals authenticated from bearer
// tokens (static API tokens stored as hashes, or JWTs from an OIDC provider), the four roles and
// the permissions each role grants.
package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Role is what an operator grants a caller.
type Role string

// The roles, from least to most privileged.
const (
	Viewer  Role = "viewer"  // reads
	Auditor Role = "auditor" // reads, records assessment results and evidence, reads the audit trail
	Editor  Role = "editor"  // reads and every change to the graph
	Admin   Role = "admin"   // everything, including tokens and migrations
)

// Roles lists the roles in order.
func Roles() []Role { return []Role{Viewer, Auditor, Editor, Admin} }

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Roles(), r) {
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (one of viewer, auditor, editor, admin)", s)
}

// Permission is one thing an operation requires. The GraphQL schema names the permission of each
// root field with @requires; the names here are the schema's enum values.
type Permission string

// The permissions.
const (
	Read          Permission = "READ"           // every query of the graph
	RecordResults Permission = "RECORD_RESULTS" // recordAssessment, addEvidence
	Edit          Permission = "EDIT"           // every other mutation of the graph
	ReadAudit     Permission = "READ_AUDIT"     // the audit trail
	Administer    Permission = "ADMINISTER"     // tokens, migrations
)

// Permissions lists every permission.
func Permissions() []Permission {
	return []Permission{Read, RecordResults, Edit, ReadAudit, Administer}
}

// grants is the one table of which role may do what.
var grants = map[Role][]Permission{
	Viewer:  {Read},
	Auditor: {Read, RecordResults, ReadAudit},
	Editor:  {Read, RecordResults, Edit},
	Admin:   {Read, RecordResults, Edit, ReadAudit, Administer},
}

// Grants returns the permissions a role grants.
func Grants(r Role) []Permission { return slices.Clone(grants[r]) }

// Principal is an authenticated caller.
type Principal struct {
	// ID names the caller in logs, the audit trail and rate limiting: "token:NAME" for a static
	// token, "jwt:ISSUER#SUBJECT" for a JWT, "local" without authentication.
	ID    string
	Kind  string // token, jwt, none
	Roles []Role
	// RatePerSecond and Burst, when positive, replace the server's default rate limit for this
	// caller (static tokens may set them).
	RatePerSecond float64
	Burst         int
}

// Can reports whether any of the principal's roles grants p.
func (p *Principal) Can(perm Permission) bool {
	if p == nil {
		return false
	}
	for _, r := range p.Roles {
		if slices.Contains(grants[r], perm) {
			return true
		}
	}
	return false
}

// RoleNames returns the roles as strings, for logs and the audit trail.
func (p *Principal) RoleNames() []string {
	out := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		out[i] = string(r)
	}
	return out
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the caller, nil when the request was not authenticated.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// ErrNoCredentials means the request carried no bearer token.
var ErrNoCredentials = errors.New("no bearer token")

// InvalidError says why a presented token was refused; its text is safe to show the caller (it
// never contains the token).
type InvalidError struct{ Reason string }

func (e *InvalidError) Error() string { return "invalid bearer token: " + e.Reason }

func invalid(format string, args ...any) error {
	return &InvalidError{Reason: fmt.Sprintf(format, args...)}
}

// Authenticator turns a bearer token into a principal.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (*Principal, error)
}

// Chain authenticates static tokens (recognised by their prefix) with Tokens and everything that
// looks like a JWT with JWT; either may be nil when not configured.
type Chain struct {
	Tokens *TokenSet
	JWT    *JWTVerifier
}

// Authenticate implements Authenticator.
func (c Chain) Authenticate(ctx context.Context, token string) (*Principal, error) {
	switch {
	case token == "":
		return nil, ErrNoCredentials
	case strings.HasPrefix(token, TokenPrefix):
		if c.Tokens == nil {
			return nil, invalid("API tokens are not configured")
		}
		return c.Tokens.Authenticate(ctx, token)
	case strings.Count(token, ".") == 2:
		if c.JWT == nil {
			return nil, invalid("JWT validation is not configured")
		}
		return c.JWT.Authenticate(ctx, token)
	}
	return nil, invalid("neither an aimsgraph API token nor a JWT")
}

// BearerToken extracts the token of an Authorization header value ("Bearer TOKEN"); empty when
// there is none.
func BearerToken(header string) (string, error) {
	if header == "" {
		return "", nil
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", invalid("the Authorization header must be \"Bearer TOKEN\"")
	}
	return strings.TrimSpace(token), nil
}
