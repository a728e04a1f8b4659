package condition

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// Condition keys referenced by compiled policies are interned: each gets a
// small integer ID, and a Context keeps the values of interned keys in a
// slice indexed by ID, so evaluation finds a key with an index instead of a
// map lookup. Only compilation interns keys, so the registry grows with the
// policies a program compiles, never with what requests carry; keys that no
// policy names stay in the Context's map.
var keyRegistry struct {
	mu    sync.RWMutex
	ids   map[string]int32 // lower-cased key -> ID
	names []string         // ID -> lower-cased key, one copy for every policy
}

// keyRef is a compiled reference to a context key.
type keyRef struct {
	lower string // the lower-cased key
	id    int32  // its interned ID
}

// internKey returns the reference for a lower-cased key, registering it.
func internKey(lower string) keyRef {
	keyRegistry.mu.RLock()
	id, ok := keyRegistry.ids[lower]
	if ok {
		lower = keyRegistry.names[id]
	}
	keyRegistry.mu.RUnlock()
	if ok {
		return keyRef{lower: lower, id: id}
	}
	keyRegistry.mu.Lock()
	defer keyRegistry.mu.Unlock()
	if keyRegistry.ids == nil {
		keyRegistry.ids = make(map[string]int32)
	}
	if id, ok = keyRegistry.ids[lower]; !ok {
		id = int32(len(keyRegistry.ids))
		keyRegistry.ids[lower] = id
		keyRegistry.names = append(keyRegistry.names, lower)
	}
	return keyRef{lower: keyRegistry.names[id], id: id}
}

// internFold is internKey(strings.ToLower(key)), without lower-casing a
// copy of a key already registered.
func internFold(key string) keyRef {
	var buf [64]byte
	if len(key) > len(buf) {
		return internKey(strings.ToLower(key))
	}
	b := buf[:len(key)]
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c >= utf8.RuneSelf {
			return internKey(strings.ToLower(key))
		}
		b[i] = lowerByte(c)
	}
	keyRegistry.mu.RLock()
	id, ok := keyRegistry.ids[string(b)]
	var lower string
	if ok {
		lower = keyRegistry.names[id]
	}
	keyRegistry.mu.RUnlock()
	if ok {
		return keyRef{lower: lower, id: id}
	}
	return internKey(string(b))
}

// knownKeyID returns the ID of a lower-cased key if some compiled policy
// names it.
func knownKeyID(lower string) (int32, bool) {
	keyRegistry.mu.RLock()
	id, ok := keyRegistry.ids[lower]
	keyRegistry.mu.RUnlock()
	return id, ok
}

// lookupRef finds the value of a compiled key reference without allocating.
func (c *Context) lookupRef(k *keyRef) (*Value, bool) {
	if c == nil {
		return nil, false
	}
	if int(k.id) < len(c.byID) {
		if v := c.byID[k.id]; v != nil {
			return v, true
		}
	}
	if c.unindexed == 0 {
		return nil, false
	}
	// The key was set before any policy named it.
	v, ok := c.values[k.lower]
	return v, ok
}
