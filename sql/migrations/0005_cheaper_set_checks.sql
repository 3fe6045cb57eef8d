-- 0005: the same row checks on core.sets, cheaper to evaluate.
--
-- Every loaded set runs these checks, and they were a third of the server's work in a bulk COPY. The accepted
-- values do not change:
--  - rpe: the nine half steps from 6 to 10, listed most frequent first (one comparison for most rows), instead of
--    a range plus `rpe * 2 = trunc(rpe * 2)`, which allocated two intermediate numerics per row;
--  - set_type: `normal`, the most common type, is compared first.
-- Measured with cachegrind on a 100,000-set COPY: the checks went from 306 to 191 million instructions (BENCHMARKS.md).
ALTER TABLE core.sets
    DROP CONSTRAINT sets_rpe_check,
    ADD CONSTRAINT sets_rpe_check CHECK (rpe = ANY ('{8, 7, 9, 7.5, 8.5, 6, 6.5, 9.5, 10}'::numeric[])),
    DROP CONSTRAINT sets_set_type_check,
    ADD CONSTRAINT sets_set_type_check CHECK (set_type IN ('normal', 'warmup', 'failure', 'dropset'));
