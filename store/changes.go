package store

import (
	"math"
	"time"
)

// ChangeMargin is how far LinkChanges's now lags the database's clock. A
// change is stamped when its row changes, and others see it only when its
// transaction commits, a moment later; a since this far back still finds a
// change that committed just after the call that returned it. The price is
// that each change is listed again by the polls within ChangeMargin of it.
const ChangeMargin = 2 * time.Second

// The change feed's queries; link_changes is filled by triggers (migration
// 0005), never by the store's code.
const (
	linkChangesSQL      = `SELECT basket_id FROM link_changes WHERE changed_at >= ?`
	pruneLinkChangesSQL = `DELETE FROM link_changes WHERE changed_at < ?`
	// The database's clock in unix microseconds, as the triggers stamp it.
	sqliteClockSQL   = `SELECT CAST(ROUND(unixepoch('subsec') * 1000) AS INTEGER) * 1000`
	postgresClockSQL = `SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT`
)

// changeSince is since in unix microseconds; zero: before every change.
func changeSince(since time.Time) int64 {
	if since.IsZero() {
		return math.MinInt64
	}
	return since.UnixMicro()
}

// changeNow is the now LinkChanges returns for the database's clock.
func changeNow(clock int64) time.Time {
	return time.UnixMicro(clock).Add(-ChangeMargin).UTC()
}
