package watch

import (
	"context"
	"time"
)

// retryBatch is how many due tasks are read from the retry queue at once.
const retryBatch = 16

// retrier runs the failed actions of the retry queue as they fall due,
// one at a time, until ctx ends. The queue is in the database, so a
// restart resumes it where it was.
func (d *Daemon) retrier(ctx context.Context) {
	for {
		wait := d.retryDue(ctx)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-d.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// retryDue runs the tasks due now and returns how long until the next.
func (d *Daemon) retryDue(ctx context.Context) time.Duration {
	for ctx.Err() == nil {
		due, next, err := d.st.dueTasks(time.Now(), retryBatch)
		if err != nil {
			return d.retryQueueFailed(err)
		}
		if len(due) == 0 {
			if next.IsZero() {
				return time.Hour // until woken
			}
			return time.Until(next)
		}
		for i := range due {
			if ctx.Err() != nil {
				break
			}
			if err := d.retry(ctx, &due[i]); err != nil {
				return d.retryQueueFailed(err)
			}
		}
	}
	return 0
}

// retryQueueFailed logs a database error of the retry queue and returns
// how long to wait before reading it again. The daemon goes on: the
// event loop stops it if the database is really gone.
func (d *Daemon) retryQueueFailed(err error) time.Duration {
	d.m.errors.WithLabelValues("db").Inc()
	d.opt.Log.Error().Err(err).Msg("the retry queue could not be read or updated")
	return 10 * time.Second
}

// retry makes one more attempt of q, with the config now in force, and
// then drops it from the queue or puts it back for later. An attempt cut
// short by a stop leaves it as it was. It returns the database's error.
func (d *Daemon) retry(ctx context.Context, q *queuedTask) error {
	cfg := d.cur.Load().cfg
	_, err := d.act.attempt(ctx, cfg, &q.task)
	if err != nil && ctx.Err() != nil {
		return nil
	}
	d.m.retries.WithLabelValues(q.task.Action).Inc()
	q.attempts++
	if again, wait := d.act.outcome(&q.task, q.attempts, err, &cfg.Retry); again {
		q.next = time.Now().Add(wait)
		return d.st.reschedule(q)
	}
	return d.st.dropTask(q.id)
}
