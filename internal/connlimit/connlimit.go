// Package connlimit caps the connections a server holds open. When the cap is reached, a new
// connection makes room by closing the connection idle the longest (a keep-alive connection
// between requests, or one accepted that has sent nothing yet); only when every connection is
// busy with a request is the new one refused (closed at once). So idle connections, however
// many a client opens, never lock out a new client, and the process never runs out of file
// descriptors.
package connlimit

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Listener wraps a net.Listener; pass its Track method to http.Server.ConnState.
type Listener struct {
	net.Listener
	max   int
	mu    sync.Mutex
	conns map[net.Conn]*state
	// Refused counts connections closed at once because every slot was busy; Evicted counts
	// idle connections closed to make room.
	refused, evicted int
}

type state struct {
	busy  bool      // serving a request
	since time.Time // when it last became idle (or was accepted)
}

// New caps l at max open connections (max <= 0: no cap).
func New(l net.Listener, max int) *Listener {
	return &Listener{Listener: l, max: max, conns: map[net.Conn]*state{}}
}

// Accept implements net.Listener.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || l.max <= 0 {
			return c, err
		}
		l.mu.Lock()
		var victim net.Conn
		if len(l.conns) >= l.max {
			victim = l.oldestIdle()
			if victim == nil {
				l.refused++
				l.mu.Unlock()
				_ = c.Close()
				continue
			}
			delete(l.conns, victim)
			l.evicted++
		}
		l.conns[c] = &state{since: time.Now()}
		l.mu.Unlock()
		if victim != nil {
			_ = victim.Close()
		}
		return c, nil
	}
}

// oldestIdle is the connection idle the longest; l.mu is held.
func (l *Listener) oldestIdle() net.Conn {
	var oldest net.Conn
	var at time.Time
	for c, s := range l.conns {
		if !s.busy && (oldest == nil || s.since.Before(at)) {
			oldest, at = c, s.since
		}
	}
	return oldest
}

// Track follows each connection's state; set it as http.Server.ConnState.
func (l *Listener) Track(c net.Conn, cs http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.conns[c]
	switch cs {
	case http.StateActive:
		if ok {
			s.busy = true
		}
	case http.StateIdle:
		if ok {
			s.busy, s.since = false, time.Now()
		}
	case http.StateClosed, http.StateHijacked:
		delete(l.conns, c)
	}
}

// Stats reports the open connections and how many were refused and evicted so far.
func (l *Listener) Stats() (open, refused, evicted int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns), l.refused, l.evicted
}
