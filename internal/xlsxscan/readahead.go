package xlsxscan

import (
	"errors"
	"io"
	"sync"
)

// readahead inflates a part in its own goroutine while the scanner parses
// what was inflated before: on two cores a large sheet then costs about
// the larger of inflating and scanning it instead of their sum. Chunks
// circulate between the two through channels; at most n exist.
type readahead struct {
	full chan chunk
	free chan []byte
	done chan struct{}
	wg   sync.WaitGroup

	cur  []byte // unread bytes of the current chunk
	held []byte // the current chunk's buffer, to give back
	err  error  // the producer's error, returned once cur is consumed
}

type chunk struct {
	b   []byte
	err error
}

func newReadahead(r io.Reader, size, n int) *readahead {
	ra := &readahead{
		full: make(chan chunk, n),
		free: make(chan []byte, n),
		done: make(chan struct{}),
	}
	for range n {
		ra.free <- make([]byte, size)
	}
	ra.wg.Add(1)
	go ra.produce(r)
	return ra
}

func (ra *readahead) produce(r io.Reader) {
	defer ra.wg.Done()
	for {
		var buf []byte
		select {
		case buf = <-ra.free:
		case <-ra.done:
			return
		}
		n, err := io.ReadFull(r, buf)
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = io.EOF
		}
		select {
		case ra.full <- chunk{buf[:n], err}:
		case <-ra.done:
			return
		}
		if err != nil {
			return
		}
	}
}

// Read gives the inflated bytes in order, then the producer's error
// (io.EOF at the end).
func (ra *readahead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.err != nil {
			return 0, ra.err
		}
		if ra.held != nil {
			ra.free <- ra.held[:cap(ra.held)]
			ra.held = nil
		}
		c := <-ra.full
		ra.cur, ra.held, ra.err = c.b, c.b, c.err
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// Close stops the producer and waits for it, so that the part's reader
// can be closed safely afterwards.
func (ra *readahead) Close() {
	close(ra.done)
	ra.wg.Wait()
}
