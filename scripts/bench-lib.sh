# Shared by the benchmark scripts (sourced): timing and the settled state every timed run starts from.

now() { date +%s.%N; }

# bench_settle DB [ANALYZE]: VACUUM (ANALYZE when asked), CHECKPOINT (warned once where not permitted), sync, and a
# wait (up to 20 s) until no autovacuum worker is busy in DB, so no run pays for the previous one.
bench_settle() {
  psql -X -q -d "$1" -c "VACUUM ${2:-}"
  psql -X -q -d "$1" -c "CHECKPOINT" 2>/dev/null || {
    [ -n "${CHECKPOINT_WARNED:-}" ] || echo "settle: CHECKPOINT not permitted (superuser or pg_checkpoint needed); runs are less comparable" >&2
    CHECKPOINT_WARNED=1
  }
  sync
  for _ in $(seq 100); do
    [ "$(psql -X -At -d "$1" -c "SELECT count(*) FROM pg_stat_activity
          WHERE backend_type = 'autovacuum worker' AND datname = current_database()")" = 0 ] && break
    sleep 0.2
  done
}
