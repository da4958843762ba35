package resolvers

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"github.com/aimsgraph/aimsgraph/resolvers/model"
)

// batchWait is how long a loader collects keys before it sends one statement for all of them:
// gqlgen resolves the items of a list concurrently, so their fields arrive together.
const batchWait = 2 * time.Millisecond

// batchKey identifies one field request: the item's id and its arguments encoded, so that items
// asked with the same arguments share a statement. The arguments themselves are kept by the
// loaders under that encoding.
type batchKey struct{ id, args string }

// satisfiedArgs and coverageArgs are the decoded arguments of a batch.
type satisfiedArgs struct {
	o     chainOptions
	first int
}

type coverageArgs struct {
	regulation string
	o          chainOptions
	day        string
}

// loaders are the per-request batchers that keep nested fields from sending a statement per item.
type loaders struct {
	satisfiedBy *dataloadgen.Loader[batchKey, []*model.Satisfaction]
	coverage    *dataloadgen.Loader[batchKey, []*model.ProvisionCoverage]

	mu            sync.Mutex
	satisfiedArgs map[string]satisfiedArgs
	coverageArgs  map[string]coverageArgs
	systems       map[string]*model.AISystem
}

func (l *loaders) loadSatisfiedBy(ctx context.Context, id string, o chainOptions, first int) ([]*model.Satisfaction, error) {
	args := fmt.Sprintf("%s|%d", o.key(), first)
	l.mu.Lock()
	l.satisfiedArgs[args] = satisfiedArgs{o, first}
	l.mu.Unlock()
	return l.satisfiedBy.Load(ctx, batchKey{id, args})
}

func (l *loaders) loadCoverage(ctx context.Context, sys *model.AISystem, regulation string, o chainOptions, day string) ([]*model.ProvisionCoverage, error) {
	args := regulation + "|" + o.key() + "|" + day
	l.mu.Lock()
	l.coverageArgs[args] = coverageArgs{regulation, o, day}
	l.systems[sys.ID] = sys
	l.mu.Unlock()
	return l.coverage.Load(ctx, batchKey{sys.ID, args})
}

// groups splits keys by their arguments, keeping each key's index.
func groups(keys []batchKey) map[string][]int {
	out := map[string][]int{}
	for i, k := range keys {
		out[k.args] = append(out[k.args], i)
	}
	return out
}

type loadersKey struct{}

// Loaders is the operation middleware that gives each request its own loaders; the server and
// the tests install it with AroundOperations.
func (r *Resolver) Loaders() graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(context.WithValue(ctx, loadersKey{}, r.newLoaders()))
	}
}

func (r *Resolver) newLoaders() *loaders {
	l := &loaders{satisfiedArgs: map[string]satisfiedArgs{}, coverageArgs: map[string]coverageArgs{}, systems: map[string]*model.AISystem{}}
	l.satisfiedBy = dataloadgen.NewLoader(func(ctx context.Context, keys []batchKey) ([][]*model.Satisfaction, []error) {
		out := make([][]*model.Satisfaction, len(keys))
		errs := make([]error, len(keys))
		for args, idx := range groups(keys) {
			l.mu.Lock()
			a := l.satisfiedArgs[args]
			l.mu.Unlock()
			ids := make([]string, len(idx))
			for j, i := range idx {
				ids[j] = keys[i].id
			}
			res, err := r.satisfiedByMany(ctx, ids, a.o, a.first)
			for _, i := range idx {
				out[i], errs[i] = res[keys[i].id], err
			}
		}
		return out, errs
	}, dataloadgen.WithWait(batchWait))
	l.coverage = dataloadgen.NewLoader(func(ctx context.Context, keys []batchKey) ([][]*model.ProvisionCoverage, []error) {
		out := make([][]*model.ProvisionCoverage, len(keys))
		errs := make([]error, len(keys))
		for args, idx := range groups(keys) {
			l.mu.Lock()
			a := l.coverageArgs[args]
			systems := make([]*model.AISystem, len(idx))
			for j, i := range idx {
				systems[j] = l.systems[keys[i].id]
			}
			l.mu.Unlock()
			res, err := r.coverageMany(ctx, systems, a.regulation, a.o.standards, a.o.depth, a.day)
			for _, i := range idx {
				out[i], errs[i] = res[keys[i].id], err
			}
		}
		return out, errs
	}, dataloadgen.WithWait(batchWait))
	return l
}

func loadersFrom(ctx context.Context, r *Resolver) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return r.newLoaders() // outside an operation (direct calls): no batching across fields
}

func (o chainOptions) key() string {
	return o.min + "|" + strings.Join(o.standards, ",") + "|" + string(rune('0'+o.depth))
}
