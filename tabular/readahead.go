package tabular

import "io"

// readAhead reads its source in its own goroutine, a few chunks ahead, so
// that decompressing a .csv.gz runs on one core while the rows are parsed on
// another. It passes on the source's error as it is: a gzip stream cut short
// says io.ErrUnexpectedEOF, never io.EOF. Close stops the goroutine whether
// or not the input was read out.
type readAhead struct {
	chunks chan chunk
	free   chan []byte
	done   chan struct{}
	buf    []byte // the chunk being read
	cur    []byte // what is left of it
	err    error  // the error after it
}

type chunk struct {
	b   []byte
	err error
}

const (
	readAheadChunk = 256 << 10
	readAheadDepth = 4
)

func newReadAhead(src io.Reader) *readAhead {
	ra := &readAhead{
		chunks: make(chan chunk, readAheadDepth),
		free:   make(chan []byte, readAheadDepth+2),
		done:   make(chan struct{}),
	}
	for range readAheadDepth + 2 {
		ra.free <- make([]byte, readAheadChunk)
	}
	go ra.run(src)
	return ra
}

func (ra *readAhead) run(src io.Reader) {
	defer close(ra.chunks)
	for {
		var buf []byte
		select {
		case buf = <-ra.free:
		case <-ra.done:
			return
		}
		n, err := fill(src, buf)
		select {
		case ra.chunks <- chunk{buf[:n], err}:
		case <-ra.done:
			return
		}
		if err != nil {
			return
		}
	}
}

// fill reads into buf until it is full or src fails. Unlike io.ReadFull it
// keeps src's error: a short last chunk ends with io.EOF, a damaged source
// with its own error.
func fill(src io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := src.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.buf != nil { // consumed: back to the goroutine
			ra.free <- ra.buf[:cap(ra.buf)]
			ra.buf = nil
		}
		if ra.err != nil {
			return 0, ra.err
		}
		c, ok := <-ra.chunks
		if !ok {
			return 0, io.EOF
		}
		ra.buf, ra.cur, ra.err = c.b, c.b, c.err
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// Close stops the reading goroutine.
func (ra *readAhead) Close() error {
	select {
	case <-ra.done:
	default:
		close(ra.done)
	}
	return nil
}
