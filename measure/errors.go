package measure

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrUnavailable says the database could not take the request right now:
// the pool had no connection in time, the server was down or restarting, or
// a transaction had to give way. The server answers 503 with Retry-After;
// the client may retry. For a submission it means nothing was stored, unless
// the database went away in the very middle of the commit (then a retry with
// the same Idempotency-Key gets the first answer, or stores it once).
var ErrUnavailable = errors.New("measure: the database cannot take it right now")

// ErrIdempotencyMismatch says an Idempotency-Key was used before by the same
// client for another body. The server answers 422.
var ErrIdempotencyMismatch = errors.New("measure: this Idempotency-Key was used for another request body")

// unavailable wraps err in ErrUnavailable when it is a passing condition of
// the database rather than a fault of the request or the code.
func unavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) || !transient(err) {
		return err
	}
	return errors.Join(ErrUnavailable, err)
}

// transient reports whether err is a passing condition: a timeout, a lost
// or refused connection, a server shutting down or starting, too many
// connections, a serialization failure or deadlock.
func transient(err error) bool {
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) { // whatever the server said, it took no connection
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code[:2] {
		case "08", // connection exception
			"40", // transaction rollback: serialization failure, deadlock
			"53", // insufficient resources: too many connections, disk full
			"57": // operator intervention: admin shutdown, cannot connect now, statement timeout
			return true
		}
		return false
	}
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err):
		return true
	case errors.As(err, &netErr):
		return true
	case pgconn.SafeToRetry(err):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	return false
}
