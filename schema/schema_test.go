package schema

import (
	"os"
	"strings"
	"testing"
)

// TestReferenceIsCurrent keeps docs/schema.md in step with the SDL; UPDATE_DOCS=1 rewrites it.
func TestReferenceIsCurrent(t *testing.T) {
	md, err := Markdown()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Query", "`satisfiedBy(", "## Mutation", "`recordAssessment(input: RecordAssessmentInput!): Assessment!`", "## Relationship"} {
		if !strings.Contains(md, want) {
			t.Errorf("reference lacks %q", want)
		}
	}
	const path = "../docs/schema.md"
	if os.Getenv("UPDATE_DOCS") != "" {
		if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != md {
		t.Errorf("%s is out of date: run UPDATE_DOCS=1 go test ./schema/", path)
	}
}
