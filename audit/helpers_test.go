package audit_test

import (
	"os"

	"github.com/aimsgraph/aimsgraph/cypher"
)

func stmt(file string) cypher.Statement {
	text, err := os.ReadFile(file)
	if err != nil {
		panic(err)
	}
	return cypher.Statement{Name: "test_" + file, Text: string(text)}
}
