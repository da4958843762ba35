# The two commands: `make run` serves, `make test` runs every test. Both start the local Neo4j
# (tools/neo4j) when NEO4J_URI is not set and nothing listens on the Bolt port.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GO ?= go
BIN := bin/aimsgraph
NEO4J := tools/neo4j

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

.PHONY: build
build: ## build bin/aimsgraph
	$(GO) build -o $(BIN) ./cmd/aimsgraph

.PHONY: run
run: build ## start Neo4j if needed, migrate, load the bundled content, serve GraphQL on :8080
	@if [ -z "$$NEO4J_URI" ]; then $(NEO4J) start; fi
	@if [ -d ../shared/data/eu-ai-act/formex ]; then $(BIN) load --log-format=console ../shared/data/eu-ai-act/formex; fi
	$(BIN) serve --log-format=$${AIMSGRAPH_LOG_FORMAT:-console} --auth=$${AIMSGRAPH_AUTH:-$$([ -n "$$AIMSGRAPH_TOKENS$$AIMSGRAPH_TOKEN_FILE$$AIMSGRAPH_JWT_ISSUER" ] && echo token || echo none)}

.PHONY: test
test: ## go vet and every test, against a real Neo4j (started and stopped if needed)
	$(GO) vet ./...
	@if [ -n "$$NEO4J_URI" ]; then \
	  AIMSGRAPH_REQUIRE_NEO4J=1 $(GO) test -p 1 -count=1 ./... ; \
	else \
	  AIMSGRAPH_REQUIRE_NEO4J=1 $(NEO4J) with $(GO) test -p 1 -count=1 ./... ; \
	fi

.PHONY: generate
generate: ## regenerate the gqlgen code from schema/
	$(GO) generate ./...

.PHONY: check-generated
check-generated: generate ## fail when generated code differs from what is committed
	@git diff --exit-code --stat -- resolvers/ || { echo "generated code is out of date: run make generate and commit"; exit 1; }

.PHONY: neo4j-start neo4j-stop neo4j-wipe neo4j-status
neo4j-start: ## start the local Neo4j (reuses one already running)
	$(NEO4J) start
neo4j-stop: ## stop the local Neo4j this repo started
	$(NEO4J) stop
neo4j-wipe: ## stop the local Neo4j and delete its data
	$(NEO4J) wipe
neo4j-status: ## is the local Neo4j running?
	$(NEO4J) status
