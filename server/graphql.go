package server

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/aimsgraph/aimsgraph/resolvers"
)

func (s *Server) graphQLHandler() *handler.Server {
	res := &resolvers.Resolver{Store: s.cfg.Store, Audit: s.audit, Tokens: s.cfg.Tokens, Migrator: s.cfg.Migrator}
	exec := resolvers.NewExecutableSchema(resolvers.NewConfig(res))
	h := handler.New(exec)
	h.AddTransport(transport.Options{})
	h.AddTransport(transport.GET{})
	h.AddTransport(transport.POST{})
	h.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if !s.cfg.DisableIntrospection {
		h.Use(extension.Introspection{})
	}
	h.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	h.Use(extension.FixedComplexityLimit(s.cfg.ComplexityLimit))
	h.Use(depthLimit{Max: s.cfg.DepthLimit})
	h.Use(operationObserver{metrics: s.cfg.Metrics})
	h.AroundOperations(res.Loaders()) // per-request batching of nested fields
	h.AroundFields(resolvers.Guard(exec.Schema(), res))
	h.SetErrorPresenter(resolvers.PresentError)
	h.SetRecoverFunc(resolvers.Recover)
	return h
}

// operationObserver records each GraphQL operation's name, outcome and latency, and names the
// operation in the request's log event.
type operationObserver struct{ metrics *Metrics }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = operationObserver{}

func (operationObserver) ExtensionName() string                   { return "OperationObserver" }
func (operationObserver) Validate(graphql.ExecutableSchema) error { return nil }
func (o operationObserver) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	name := ""
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		if name = oc.OperationName; name == "" && oc.Operation != nil {
			name = oc.Operation.Name
		}
	}
	outcome := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		outcome = "error"
		for _, e := range resp.Errors {
			if e.Extensions["code"] == resolvers.CodeDatabaseUnavailable {
				outcome = "unavailable"
				break
			}
		}
	}
	o.metrics.observeGraphQL(name, outcome, time.Since(start))
	if info := requestInfoFrom(ctx); info != nil {
		info.setOperation(name, outcome)
	}
	return resp
}
