import Foundation
import HTTPKit
import PostgresClient

/// Reads the paged endpoints sequentially and applies each page in its own transaction.
///
/// Per page: the body must decode as the documented page (else it goes to `raw.rejects` with the
/// URL and the run fails); every element is stored raw, then applied under a savepoint, so one
/// element that cannot be stored is rejected with its reason while the rest of the page lands.
/// A 404 ends a listing (Hevy answers 404 past the last page), except on the first page, where it means
/// no Hevy API answers at the configured URL (``HevySyncError/notFound(call:url:)``).
struct PageRunner {
    let engine: SyncEngine
    let raw: RawStore
    let athlete: Athlete

    private var connection: Connection { engine.connection }
    private var config: SyncConfiguration { engine.configuration }

    // MARK: - Endpoints

    /// `GET /v1/exercise_templates`, all pages.
    func templates() throws {
        let writer = TemplateWriter(connection: connection)
        try forEachPage(TemplatesPageTag.self, path: "/v1/exercise_templates", pageSize: config.templatePageSize,
                        objectType: "exercise_template", idPaths: ["{id}"]) { template, _ in
            if try writer.write(template) { engine.report.templatesWritten += 1 }
        }
    }

    /// `GET /v1/workouts`, all pages; returns the ids listed.
    ///
    /// The listing is the API's current state: a listed workout marked deleted here is live again.
    func workouts() throws -> Set<String> {
        let writer = workoutWriter()
        var listed: Set<String> = []
        try forEachPage(WorkoutsPageTag.self, path: "/v1/workouts", pageSize: config.workoutPageSize,
                        objectType: "workout", idPaths: ["{id}"]) { workout, element in
            listed.insert(workout.id)
            try apply(workout, sha256: element.sha256, writer: writer, listed: true)
        }
        return listed
    }

    /// After a complete listing: each live API workout of the athlete that was not listed is fetched by id;
    /// a 404 marks it deleted (the API no longer has it), an answer is applied as listed. Fetching instead
    /// of trusting the listing alone keeps a workout that a concurrent deletion shifted across a page boundary.
    func reconcileUnlisted(_ listed: Set<String>) throws {
        let writer = workoutWriter()
        let listedJSON = String(decoding: try JSONEncoder().encode(listed.sorted()), as: UTF8.self)
        let unlisted = try connection.query("""
            SELECT hevy_workout_id FROM core.workouts
            WHERE athlete_sk = $1 AND source = 'hevy_api' AND deleted_at IS NULL AND hevy_workout_id IS NOT NULL
              AND NOT ($2::jsonb ? hevy_workout_id)
            ORDER BY hevy_workout_id
            """, [athlete.sk, listedJSON]).rows.compactMap { $0[0] }
        for id in unlisted {
            let call = engine.client.call("/v1/workouts/\(id)")
            let response = try engine.client.get(call)
            if response.status == 404 {
                if try writer.markAbsent(id: id) {
                    engine.report.workoutsNoLongerListed += 1
                    engine.log("\(call): 404, workout no longer in Hevy; marked deleted")
                }
                continue
            }
            try storeFetched(HevyWorkout.self, call, response, objectType: "workout", id: id) { workout, element in
                try apply(workout, sha256: element.sha256, writer: writer, listed: true)
            }
        }
    }

    /// `GET /v1/workouts/events?since=…`, all pages (newest first).
    func events(since: String) throws {
        engine.report.eventsSince = since
        let writer = workoutWriter()
        try forEachPage(EventsPageTag.self, path: "/v1/workouts/events", pageSize: config.workoutPageSize,
                        extraQuery: [("since", since)], objectType: "workout_event",
                        idPaths: ["{workout,id}", "{id}"]) { event, element in
            switch event {
            case .updated(let workout):
                try apply(workout, sha256: try workoutSHA(elementJSON: element.json), writer: writer)
            case .deleted(let id, let deletedAt):
                if try writer.markDeleted(id: id, deletedAt: deletedAt) {
                    engine.report.workoutsDeleted += 1
                } else if try connection.query("SELECT 1 FROM core.workouts WHERE hevy_workout_id = $1 AND athlete_sk = $2",
                                                [id, athlete.sk]).rows.isEmpty {
                    try writer.keepTombstone(id: id, deletedAt: deletedAt, loadID: engine.report.loadID)
                    engine.report.deletesUnknown += 1
                } else {
                    engine.report.workoutsUnchanged += 1
                }
            case .unknown(let type):
                if engine.warnedEventTypes.insert(type).inserted {
                    engine.report.warnings.append("skipped events of unknown type '\(type)' (kept in raw.hevy_api_payloads)")
                }
            }
        }
    }

    /// `GET /v1/body_measurements`; incrementally, stops after a page that brought nothing new.
    ///
    /// The contract documents 404 "Page not found" for this listing (and for no other), so an athlete without
    /// measurements may get it on the first page: here it means an empty listing. A wrong `HEVY_API_URL` has
    /// failed the run earlier, on the first page of the templates or the events feed.
    func bodyMeasurements(stopWhenNothingNew: Bool) throws {
        let writer = BodyMeasurementWriter(connection: connection, athlete: athlete)
        try forEachPage(BodyPageTag.self, path: "/v1/body_measurements", pageSize: config.bodyMeasurementPageSize,
                        objectType: "body_measurement", idPaths: ["{date}"],
                        stopWhenNothingNew: stopWhenNothingNew, emptyAs404: true) { entry, element in
            if try writer.write(entry, json: element.json) { engine.report.bodyMeasurementsWritten += 1 }
        }
    }

    /// `GET /v1/exercise_templates/{id}` for templates that workouts of this run use but `core` lacks.
    func missingTemplates() throws {
        let writer = TemplateWriter(connection: connection)
        for id in engine.missingTemplates.sorted() {
            let call = engine.client.call("/v1/exercise_templates/\(id)")
            let response = try engine.client.get(call)
            if response.status == 404 {
                engine.report.warnings.append("\(call): exercise template not found; the exercise keeps its workout title")
                continue
            }
            try storeFetched(HevyExerciseTemplate.self, call, response, objectType: "exercise_template", id: id) { template, _ in
                if try writer.write(template) { engine.report.templatesWritten += 1 }
            }
        }
        engine.missingTemplates.removeAll()
    }

    /// One object fetched by id: decoded (a body that does not decode fails the run and is kept as a rejected
    /// response), then, in one transaction, its raw payload stored and `apply` called with it and its stored element.
    private func storeFetched<T: Decodable>(_ type: T.Type, _ call: HevyAPIClient.Call, _ response: HTTPResponse, objectType: String,
                                            id: String, _ apply: (T, RawStore.Element) throws -> Void) throws {
        let object: T
        do { object = try JSONDecoder().decode(T.self, from: response.body) }
        catch { throw try rejectResponse(call, body: response.body, detail: "\(DecodeFailure(error))") }
        try connection.transaction {
            let element = try raw.storeObject(body: String(decoding: response.body, as: UTF8.self), endpoint: call.description,
                                              objectType: objectType, objectID: id)
            if element.isNew { engine.report.newRawPayloads += 1 }
            try apply(object, element)
        }
    }

    // MARK: - Paging

    /// Reads `path` page by page until the last page, a 404 past the first page, or an empty page.
    /// `emptyAs404`: a 404 on the first page is an empty listing (documented for body measurements only).
    private func forEachPage<Tag: PageTag>(_ tag: Tag.Type, path: String, pageSize: Int, extraQuery: [(String, String)] = [],
                                           objectType: String, idPaths: [String], stopWhenNothingNew: Bool = false,
                                           emptyAs404: Bool = false,
                                           apply: (Tag.Item, RawStore.Element) throws -> Void) throws {
        var pageNumber = 1
        while true {
            let call = engine.client.call(path, [("page", String(pageNumber)), ("pageSize", String(pageSize))] + extraQuery)
            let response = try engine.client.get(call)
            if response.status == 404 {
                // past the last page the API answers 404; on the first page there is no API at this URL
                guard pageNumber > 1 || emptyAs404 else { throw HevySyncError.notFound(call: call.description, url: call.displayURL) }
                engine.log("\(call): 404, end of listing")
                return
            }
            let page: PageOf<Tag>
            do { page = try JSONDecoder().decode(PageOf<Tag>.self, from: response.body) }
            catch { throw try rejectResponse(call, body: response.body, detail: "\(DecodeFailure(error))") }
            guard let bodyText = String(data: response.body, encoding: .utf8) else {
                throw try rejectResponse(call, body: response.body, detail: "body is not UTF-8")
            }
            var anyNew = false
            do {
                try connection.transaction {
                    let elements: [RawStore.Element]
                    do {
                        elements = try raw.storeElements(body: bodyText, itemsKey: Tag.itemsKey, endpoint: call.description,
                                                         objectType: objectType, objectIDPaths: idPaths)
                    } catch let PostgresClientError.server(e) where e.sqlstate.hasPrefix("22") {
                        throw NotStorableJSON(detail: e.message)
                    }
                    guard elements.count == page.items.count else {
                        throw NotStorableJSON(detail: "decoded \(page.items.count) elements, PostgreSQL saw \(elements.count)")
                    }
                    for (item, element) in zip(page.items, elements) {
                        if element.isNew { anyNew = true; engine.report.newRawPayloads += 1 }
                        try applyElement(item, element, call: call, apply: apply)
                    }
                }
            } catch let e as NotStorableJSON {
                throw try rejectResponse(call, body: response.body, detail: e.detail)
            }
            engine.report.pagesCommitted += 1
            engine.log("\(call): \(page.items.count) \(Tag.itemsKey) (page \(pageNumber) of \(page.pageCount.map(String.init) ?? "?"))")
            if let limit = config.failAfterPages, engine.report.pagesCommitted >= limit {
                throw HevySyncError.interrupted(afterPages: engine.report.pagesCommitted)
            }
            if page.items.isEmpty || (page.pageCount.map { pageNumber >= $0 } ?? false) { return }
            if stopWhenNothingNew && !anyNew { return }
            pageNumber += 1
        }
    }

    /// Applies one element under a savepoint; data and constraint errors reject it, others propagate.
    private func applyElement<T>(_ item: Lossy<T>, _ element: RawStore.Element, call: HevyAPIClient.Call,
                                 apply: (T, RawStore.Element) throws -> Void) throws {
        let source = call.displayURL
        switch item.result {
        case .failure(let failure):
            try raw.reject(url: source, field: nil, reason: "element \(element.ordinal): \(failure)", record: element.json)
        case .success(let value):
            try connection.execute("SAVEPOINT hevy_element")
            do {
                try apply(value, element)
                try connection.execute("RELEASE SAVEPOINT hevy_element")
            } catch let rejection as WorkoutWriter.Rejection {
                try connection.execute("ROLLBACK TO SAVEPOINT hevy_element")
                try raw.reject(url: source, field: rejection.field, reason: "element \(element.ordinal): \(rejection)", record: element.json)
            } catch let PostgresClientError.server(e) where e.sqlstate.hasPrefix("22") || e.sqlstate.hasPrefix("23") {
                try connection.execute("ROLLBACK TO SAVEPOINT hevy_element")
                try raw.reject(url: source, field: nil, reason: "element \(element.ordinal): \(e.message) [\(e.sqlstate)]"
                                 + (e.detail.map { ": \($0)" } ?? ""), record: element.json)
            }
        }
    }

    /// Keeps a response that cannot be used in `raw.rejects` and returns the error that fails the run.
    private func rejectResponse(_ call: HevyAPIClient.Call, body: Data, detail: String) throws -> HevySyncError {
        let text = engine.client.redact(String(decoding: body, as: UTF8.self))
        let id = try raw.reject(url: call.displayURL, field: nil, reason: "malformed response: \(detail)", record: text)
        engine.log("\(call): malformed response kept as reject \(id)")
        return .malformedResponse(call: call.description, url: call.displayURL, detail: detail)
    }

    // MARK: - Workouts

    private func workoutWriter() -> WorkoutWriter {
        WorkoutWriter(connection: connection, athlete: athlete, exercises: ExerciseResolver(connection: connection))
    }

    private func apply(_ workout: HevyWorkout, sha256: String, writer: WorkoutWriter, listed: Bool = false) throws {
        let (outcome, missing) = try writer.write(workout, sha256: sha256, listed: listed)
        engine.missingTemplates.formUnion(missing)
        switch outcome {
        case .inserted: engine.report.workoutsInserted += 1
        case .updated: engine.report.workoutsUpdated += 1
        case .mergedWithCSV: engine.report.workoutsMergedWithCSV += 1
        case .unchanged: engine.report.workoutsUnchanged += 1
        case .stale: engine.report.workoutsStale += 1
        case .undeleted: engine.report.workoutsUndeleted += 1
        }
    }

    /// The hash of the workout inside an `updated` event, equal to the hash the listing gives the same version.
    private func workoutSHA(elementJSON: String) throws -> String {
        try connection.query("SELECT encode(sha256(convert_to(($1::jsonb -> 'workout')::text, 'UTF8')), 'hex')",
                             [elementJSON]).scalar ?? ""
    }
}

/// A page PostgreSQL cannot store as jsonb although it decoded (e.g. a `\u0000` in a string).
private struct NotStorableJSON: Error { let detail: String }
