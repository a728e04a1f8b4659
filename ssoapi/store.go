package ssoapi

import (
	"container/list"
	"time"
)

// bounded is a map with a capacity and an expiry per entry: the memory an
// unauthenticated caller can make the server hold is capped whatever it
// sends. Putting into a full map first drops expired entries from the
// front (the oldest), then evicts the oldest live one. Lookups treat an
// expired entry as absent and delete it.
//
// bounded is not safe for concurrent use: the Server guards every map
// with its one mutex.
type bounded[K comparable, V any] struct {
	max   int
	items map[K]*list.Element
	order list.List // of *boundedItem[K, V], oldest first
	// onDelete, if set, is called for every entry that leaves the map
	// (deleted, expired, evicted or replaced), so indexes stay in step.
	onDelete func(K, V)
}

type boundedItem[K comparable, V any] struct {
	key     K
	val     V
	expires time.Time
}

func newBounded[K comparable, V any](max int) *bounded[K, V] {
	return &bounded[K, V]{max: max, items: make(map[K]*list.Element)}
}

// put stores val under key until expires, replacing any entry with the
// same key.
func (b *bounded[K, V]) put(now time.Time, key K, val V, expires time.Time) {
	b.del(key)
	for e := b.order.Front(); e != nil; e = b.order.Front() {
		it := e.Value.(*boundedItem[K, V])
		if now.Before(it.expires) && b.order.Len() < b.max {
			break
		}
		b.remove(e)
	}
	b.items[key] = b.order.PushBack(&boundedItem[K, V]{key: key, val: val, expires: expires})
}

// get returns the live entry under key.
func (b *bounded[K, V]) get(now time.Time, key K) (V, bool) {
	e, ok := b.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	it := e.Value.(*boundedItem[K, V])
	if !now.Before(it.expires) {
		b.remove(e)
		var zero V
		return zero, false
	}
	return it.val, true
}

// del removes the entry under key, if any.
func (b *bounded[K, V]) del(key K) {
	if e, ok := b.items[key]; ok {
		b.remove(e)
	}
}

func (b *bounded[K, V]) remove(e *list.Element) {
	it := b.order.Remove(e).(*boundedItem[K, V])
	delete(b.items, it.key)
	if b.onDelete != nil {
		b.onDelete(it.key, it.val)
	}
}

func (b *bounded[K, V]) len() int { return b.order.Len() }

// gcra is a rate limiter after the generic cell rate algorithm: one
// timestamp, the theoretical arrival time of the next request.
type gcra struct{ tat time.Time }

// allow reports whether a request at now conforms to one request per
// interval with a tolerance of burst ahead of schedule, and if so counts
// it.
func (g *gcra) allow(now time.Time, interval, burst time.Duration) bool {
	tat := g.tat
	if tat.Before(now) {
		tat = now
	}
	if tat.Sub(now) > burst {
		return false
	}
	g.tat = tat.Add(interval)
	return true
}
