package resolvers

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/rs/zerolog"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/aimsgraph/aimsgraph/graph"
)

// Stable error codes, sent in extensions.code.
const (
	CodeDatabaseUnavailable = "DATABASE_UNAVAILABLE"
	CodeBadUserInput        = "BAD_USER_INPUT"
	CodeBadRequest          = "BAD_REQUEST"
	CodeNotFound            = "NOT_FOUND"
	CodeTimeout             = "TIMEOUT"
	CodeInternal            = "INTERNAL"
	CodeIntrospection       = "INTROSPECTION_DISABLED"
)

// UserError is an error the caller can fix; its message is shown as is.
type UserError struct {
	Code string
	Msg  string
}

func (e *UserError) Error() string { return e.Msg }

func badInput(format string, args ...any) error {
	return &UserError{Code: CodeBadUserInput, Msg: fmt.Sprintf(format, args...)}
}

// PresentError gives every error a stable code. Internal errors are logged with the request's
// logger and shown without their details, which may name queries or hosts.
func PresentError(ctx context.Context, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	if gqlErr.Extensions == nil {
		gqlErr.Extensions = map[string]any{}
	}
	if _, ok := gqlErr.Extensions["code"]; ok {
		return gqlErr // set by gqlgen itself (validation, parsing, complexity)
	}
	var reqErr *gqlerror.Error
	var ue *UserError
	switch {
	case errors.As(err, &reqErr) && len(gqlErr.Path) == 0:
		// Raised by gqlgen about the request itself (persisted query, transport): the message is
		// meant for the caller.
		gqlErr.Extensions["code"] = CodeBadRequest
	case errors.As(err, &ue):
		gqlErr.Message = ue.Msg
		gqlErr.Extensions["code"] = ue.Code
	case graph.IsUnavailable(err):
		zerolog.Ctx(ctx).Warn().Err(err).Msg("neo4j unavailable")
		gqlErr.Message = "the graph database is unavailable; try again shortly"
		gqlErr.Extensions["code"] = CodeDatabaseUnavailable
	case strings.HasSuffix(err.Error(), "introspection disabled"): // gqlgen's own error when the server switched it off
		gqlErr.Extensions["code"] = CodeIntrospection
	case errors.Is(err, context.DeadlineExceeded):
		gqlErr.Message = "the request took too long and was cancelled"
		gqlErr.Extensions["code"] = CodeTimeout
	default:
		zerolog.Ctx(ctx).Error().Err(err).Msg("internal error")
		gqlErr.Message = "internal error"
		gqlErr.Extensions["code"] = CodeInternal
	}
	return gqlErr
}

// ErrorCode is the stable code of a resolver error, as PresentError reports it.
func ErrorCode(err error) string {
	var ue *UserError
	switch {
	case errors.As(err, &ue):
		return ue.Code
	case graph.IsUnavailable(err):
		return CodeDatabaseUnavailable
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return CodeTimeout
	}
	return CodeInternal
}

// Recover turns a resolver panic into an internal error instead of a dead request.
func Recover(ctx context.Context, p any) error {
	zerolog.Ctx(ctx).Error().Interface("panic", p).Msg("resolver panic")
	return errors.New("internal error: resolver panic")
}
