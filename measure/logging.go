package measure

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// LoggingRisks says which of PostgreSQL's logging settings could write what
// a resident typed into the server's log: the address lookups send the text
// as a bind parameter (the position never reaches SQL at all). gigakoll
// logs none of it itself; serve warns at start about each risk found.
func LoggingRisks(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	var statement, minDuration, params, onError string
	err := pool.QueryRow(ctx, `SELECT current_setting('log_statement'), current_setting('log_min_duration_statement'),
		current_setting('log_parameter_max_length'), current_setting('log_parameter_max_length_on_error')`).
		Scan(&statement, &minDuration, &params, &onError)
	if err != nil {
		return nil, fmt.Errorf("measure: read PostgreSQL's logging settings: %w", err)
	}
	var risks []string
	if statement == "all" {
		risks = append(risks, "log_statement = all logs the address text of every lookup; set it to none or ddl")
	}
	if minDuration != "-1" && params != "0" {
		risks = append(risks, "log_min_duration_statement is on and log_parameter_max_length is not 0: a slow address lookup would be logged with its text; set log_parameter_max_length = 0")
	}
	if onError != "0" {
		risks = append(risks, "log_parameter_max_length_on_error is not 0: a failed address lookup would be logged with its text; set it to 0")
	}
	return risks, nil
}
