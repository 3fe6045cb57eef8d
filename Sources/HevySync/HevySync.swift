// HevySync: incremental sync of the Hevy public API into raw and core.
//
// HevyAPIClient (HTTP, retries) → PageRunner (paging, one transaction per page) →
// WorkoutWriter / TemplateWriter / BodyMeasurementWriter (SQL), orchestrated by SyncEngine;
// Watermark holds the per-athlete position of the events feed.
