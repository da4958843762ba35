package auth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTokenFile writes testdata/tokens.yaml with the hashes of the two test tokens filled in.
func writeTokenFile(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/tokens.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer("HASH_VIEWER", HashToken("agt_test-viewer"), "HASH_EDITOR", HashToken("agt_test-editor")).Replace(string(data))
	path := filepath.Join(t.TempDir(), "tokens.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTokensAuthenticate(t *testing.T) {
	file := writeTokenFile(t)
	admin, adminHash, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	set, err := LoadTokens(file, "ops:admin:"+adminHash)
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() != 3 {
		t.Fatalf("Len = %d, want 3", set.Len())
	}
	for _, tc := range []struct {
		token  string
		id     string
		roles  []Role
		rate   float64
		reject bool
	}{
		{token: "agt_test-viewer", id: "token:dashboard", roles: []Role{Viewer}},
		{token: "agt_test-editor", id: "token:ci-loader", roles: []Role{Editor, Auditor}, rate: 50},
		{token: admin, id: "token:ops", roles: []Role{Admin}},
		{token: "agt_test-unknown", reject: true},
		{token: HashToken("agt_test-viewer"), reject: true}, // the hash is not a token
	} {
		p, err := Chain{Tokens: set}.Authenticate(context.Background(), tc.token)
		if tc.reject {
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Errorf("%s: err = %v, want an InvalidError", tc.token, err)
			}
			if err != nil && strings.Contains(err.Error(), tc.token) {
				t.Errorf("the error repeats the token: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.token, err)
		}
		if p.ID != tc.id || strings.Join(p.RoleNames(), ",") != strings.Join(roleStrings(tc.roles), ",") || p.RatePerSecond != tc.rate {
			t.Errorf("%s: got %+v", tc.token, p)
		}
	}
	if !strings.HasPrefix(admin, TokenPrefix) || len(admin) != len(TokenPrefix)+43 {
		t.Errorf("NewToken = %q, want %s and 43 base64url characters", admin, TokenPrefix)
	}
}

func roleStrings(rs []Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

func TestTokensReloadRevokes(t *testing.T) {
	file := writeTokenFile(t)
	set, err := LoadTokens(file, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := set.Authenticate(context.Background(), "agt_test-viewer"); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(file)
	kept := strings.Split(string(data), "  - name: ci-loader")[0]
	kept = strings.Replace(kept, "name: dashboard", "name: ci-loader", 1)
	kept = strings.Replace(kept, HashToken("agt_test-viewer"), HashToken("agt_test-editor"), 1)
	if err := os.WriteFile(file, []byte(kept), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := set.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, err := set.Authenticate(context.Background(), "agt_test-viewer"); err == nil {
		t.Error("a token removed from the file still authenticates after Reload")
	}
	if _, err := set.Authenticate(context.Background(), "agt_test-editor"); err != nil {
		t.Errorf("the remaining token: %v", err)
	}
	// A broken file keeps the tokens in force.
	if err := os.WriteFile(file, []byte("tokens: [{name: x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := set.Reload(); err == nil {
		t.Fatal("Reload of a broken file succeeded")
	}
	if _, err := set.Authenticate(context.Background(), "agt_test-editor"); err != nil {
		t.Errorf("after a failed reload: %v", err)
	}
}

func TestTokensRefuseBadConfiguration(t *testing.T) {
	good := HashToken("agt_x")
	for _, tc := range []struct {
		name, file, env, want string
	}{
		{name: "token instead of hash", env: "a:viewer:agt_x", want: "entry 1: token a: sha256 must be 64 hex digits"},
		{name: "unknown role", env: "a:root:" + good, want: `unknown role "root"`},
		{name: "fields", env: "a:viewer", want: "want name:role[+role]:sha256"},
		{name: "bad name", env: "a b:viewer:" + good, want: "entry 1: want name:role"},
		{name: "duplicate name", env: "a:viewer:" + good + ",a:editor:" + HashToken("agt_y"), want: `token name "a" is configured twice`},
		{name: "duplicate hash", env: "a:viewer:" + good + ",b:editor:" + good, want: `token "b" has the same hash`},
		{name: "unknown field", file: "tokens:\n  - name: a\n    roles: [viewer]\n    sha256: " + good + "\n    token: agt_x\n", want: "unknown field \"token\""},
		{name: "no roles", file: "tokens:\n  - name: a\n    sha256: " + good + "\n", want: "tokens[0]: token a: no roles"},
		{name: "yaml syntax", file: "tokens: [\n", want: "[1:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := ""
			if tc.file != "" {
				file = filepath.Join(t.TempDir(), "tokens.yaml")
				if err := os.WriteFile(file, []byte(tc.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := LoadTokens(file, tc.env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
			if file != "" && !strings.Contains(err.Error(), file) {
				t.Errorf("the error does not name the file: %v", err)
			}
			if strings.Contains(err.Error(), "agt_x") && tc.name != "token instead of hash" {
				t.Errorf("the error repeats a token: %v", err)
			}
		})
	}
}

func TestRolePermissions(t *testing.T) {
	want := map[Role]string{
		Viewer:  "READ",
		Auditor: "READ RECORD_RESULTS READ_AUDIT",
		Editor:  "READ RECORD_RESULTS EDIT",
		Admin:   "READ RECORD_RESULTS EDIT READ_AUDIT ADMINISTER",
	}
	for _, r := range Roles() {
		p := &Principal{Roles: []Role{r}}
		var got []string
		for _, perm := range Permissions() {
			if p.Can(perm) {
				got = append(got, string(perm))
			}
		}
		if strings.Join(got, " ") != want[r] {
			t.Errorf("%s can %v, want %s", r, got, want[r])
		}
	}
	var nobody *Principal
	if nobody.Can(Read) || (&Principal{}).Can(Read) {
		t.Error("a missing principal or one without roles may read")
	}
}

func TestBearerToken(t *testing.T) {
	for _, tc := range []struct{ header, token, err string }{
		{"", "", ""},
		{"Bearer agt_abc", "agt_abc", ""},
		{"bearer  agt_abc ", "agt_abc", ""},
		{"Basic dXNlcjpwYXNz", "", "must be \"Bearer TOKEN\""},
		{"Bearer ", "", "must be"},
		{"agt_abc", "", "must be"},
	} {
		got, err := BearerToken(tc.header)
		if got != tc.token || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("BearerToken(%q) = %q, %v", tc.header, got, err)
		}
	}
}
