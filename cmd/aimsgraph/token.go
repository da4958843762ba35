package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aimsgraph/aimsgraph/auth"
)

// TokenCmd creates and hashes API tokens. The service keeps only hashes; the token is shown once.
type TokenCmd struct {
	New  TokenNewCmd  `cmd:"" help:"Create a random API token; prints it once, with the lines that configure its hash."`
	Hash TokenHashCmd `cmd:"" help:"Print the sha256 of a token read from standard input (to configure a token made elsewhere)."`
}

// TokenNewCmd creates a token.
type TokenNewCmd struct {
	Name  string   `name:"name" required:"" help:"Name of the token (its caller): 1 to 64 letters, digits or ._- ."`
	Roles []string `name:"role" required:"" enum:"viewer,auditor,editor,admin" help:"Role of the token (${enum}); repeat for several."`
}

// Run prints the token and its configuration.
func (c *TokenNewCmd) Run() error { return c.write(os.Stdout) }

func (c *TokenNewCmd) write(w io.Writer) error {
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	entry := c.Name + ":" + strings.Join(c.Roles, "+") + ":" + hash
	if _, err := auth.LoadTokens("", entry); err != nil { // the same checks the service applies
		return fmt.Errorf("token new: %w", err)
	}
	_, err = fmt.Fprintf(w, `token (shown once; hand it to the caller, who sends "Authorization: Bearer TOKEN"):
%s

AIMSGRAPH_TOKENS entry (entries separated by commas):
%s

token file entry (--token-file / AIMSGRAPH_TOKEN_FILE):
  - name: %s
    roles: [%s]
    sha256: %s
`, token, entry, c.Name, strings.Join(c.Roles, ", "), hash)
	return err
}

// TokenHashCmd hashes a token from standard input.
type TokenHashCmd struct{}

// Run reads one line and prints its hash.
func (c *TokenHashCmd) Run() error {
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("token hash: %w", err)
	}
	token := strings.TrimSpace(line)
	if !strings.HasPrefix(token, auth.TokenPrefix) {
		return fmt.Errorf("token hash: the input is not an aimsgraph token (%s...)", auth.TokenPrefix)
	}
	fmt.Println(auth.HashToken(token))
	return nil
}
