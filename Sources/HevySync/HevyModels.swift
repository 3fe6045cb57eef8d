import Foundation

// Codable shapes of the Hevy public API (OpenAPI 0.0.1, as vendored in chrisdoc/hevy-mcp).
// Decoding is defensive: every field the spec marks optional or nullable may be absent,
// numbers may arrive as integers or decimals, and both `supersets_id` and `superset_id` are read.

/// A workout as the API returns it (`Workout` in the spec).
public struct HevyWorkout: Decodable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var routineID: String?
    public var description: String?
    public var startTime: String
    public var endTime: String
    public var updatedAt: String?
    public var createdAt: String?
    public var exercises: [HevyExercise]

    enum CodingKeys: String, CodingKey {
        case id, title, description, exercises
        case routineID = "routine_id", startTime = "start_time", endTime = "end_time"
        case updatedAt = "updated_at", createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? ""
        routineID = try c.decodeIfPresent(String.self, forKey: .routineID)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        startTime = try c.decode(String.self, forKey: .startTime)
        endTime = try c.decode(String.self, forKey: .endTime)
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        exercises = try c.decodeIfPresent([HevyExercise].self, forKey: .exercises) ?? []
    }
}

/// One exercise block inside a workout (`Exercise` in the spec).
public struct HevyExercise: Decodable, Sendable, Equatable {
    public var index: Int?
    public var title: String
    public var notes: String?
    public var exerciseTemplateID: String?
    public var supersetID: Int?
    public var sets: [HevySet]

    enum CodingKeys: String, CodingKey {
        case index, title, notes, sets
        case exerciseTemplateID = "exercise_template_id"
        case supersetsID = "supersets_id", supersetID = "superset_id"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        index = try c.decodeWholeNumberIfPresent(forKey: .index)
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? ""
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        exerciseTemplateID = try c.decodeIfPresent(String.self, forKey: .exerciseTemplateID)
        supersetID = try c.decodeWholeNumberIfPresent(forKey: .supersetsID)
            ?? c.decodeWholeNumberIfPresent(forKey: .supersetID)
        sets = try c.decodeIfPresent([HevySet].self, forKey: .sets) ?? []
    }
}

/// One set inside an exercise block (`Set` in the spec); every measure is nullable.
public struct HevySet: Decodable, Sendable, Equatable {
    public var index: Int?
    public var type: String
    public var weightKg: Double?
    public var reps: Int?
    public var distanceMeters: Double?
    public var durationSeconds: Int?
    public var rpe: Double?
    public var customMetric: Double?

    enum CodingKeys: String, CodingKey {
        case index, type, reps, rpe
        case weightKg = "weight_kg", distanceMeters = "distance_meters"
        case durationSeconds = "duration_seconds", customMetric = "custom_metric"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        index = try c.decodeWholeNumberIfPresent(forKey: .index)
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? "normal"
        weightKg = try c.decodeIfPresent(Double.self, forKey: .weightKg)
        reps = try c.decodeWholeNumberIfPresent(forKey: .reps)
        distanceMeters = try c.decodeIfPresent(Double.self, forKey: .distanceMeters)
        durationSeconds = try c.decodeWholeNumberIfPresent(forKey: .durationSeconds)
        rpe = try c.decodeIfPresent(Double.self, forKey: .rpe)
        customMetric = try c.decodeIfPresent(Double.self, forKey: .customMetric)
    }
}

/// An entry of the events feed: a workout updated (or created), or deleted.
public enum HevyWorkoutEvent: Decodable, Sendable, Equatable {
    case updated(HevyWorkout)
    case deleted(id: String, deletedAt: String?)
    /// An event type this client does not know; skipped with a warning.
    case unknown(type: String)

    enum CodingKeys: String, CodingKey { case type, workout, id, deletedAt = "deleted_at" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "updated": self = .updated(try c.decode(HevyWorkout.self, forKey: .workout))
        case "deleted": self = .deleted(id: try c.decode(String.self, forKey: .id),
                                        deletedAt: try c.decodeIfPresent(String.self, forKey: .deletedAt))
        default: self = .unknown(type: type)
        }
    }
}

/// An exercise template (`ExerciseTemplate` in the spec), built in or custom.
public struct HevyExerciseTemplate: Decodable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var type: String?
    public var primaryMuscleGroup: String?
    public var secondaryMuscleGroups: [String]
    public var isCustom: Bool?
    /// Not in the read schema today (only in the create body as `equipment_category`); read when present.
    public var equipment: String?

    enum CodingKeys: String, CodingKey {
        case id, title, type, equipment
        case primaryMuscleGroup = "primary_muscle_group", secondaryMuscleGroups = "secondary_muscle_groups"
        case isCustom = "is_custom", equipmentCategory = "equipment_category"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? ""
        type = try c.decodeIfPresent(String.self, forKey: .type)
        primaryMuscleGroup = try c.decodeIfPresent(String.self, forKey: .primaryMuscleGroup)
        secondaryMuscleGroups = try c.decodeIfPresent([String].self, forKey: .secondaryMuscleGroups) ?? []
        isCustom = try c.decodeIfPresent(Bool.self, forKey: .isCustom)
        equipment = try c.decodeIfPresent(String.self, forKey: .equipment)
            ?? c.decodeIfPresent(String.self, forKey: .equipmentCategory)
    }
}

/// One day's body measurements (`BodyMeasurement` in the spec); only `date` is required.
public struct HevyBodyMeasurement: Decodable, Sendable, Equatable {
    public var date: String
    public var weightKg: Double?
    public var fatPercent: Double?

    enum CodingKeys: String, CodingKey { case date, weightKg = "weight_kg", fatPercent = "fat_percent" }
}

/// `GET /v1/workouts/count`.
public struct HevyWorkoutCount: Decodable, Sendable {
    public var workoutCount: Int
    enum CodingKeys: String, CodingKey { case workoutCount = "workout_count" }
}

// MARK: - Pages

/// A value decoded on its own; a failure is kept instead of thrown.
struct Lossy<T: Decodable & Sendable>: Decodable, Sendable {
    let result: Result<T, DecodeFailure>

    init(from decoder: any Decoder) throws {
        do { result = .success(try T(from: decoder)) }
        catch { result = .failure(DecodeFailure(error)) }
    }
}

/// A decoding error rendered as a short, field-naming message.
struct DecodeFailure: Error, Sendable, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case DecodingError.keyNotFound(let key, let ctx):
            description = "missing field \(path(ctx.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            description = "bad value at \(path(ctx.codingPath)): \(ctx.debugDescription)"
        case DecodingError.dataCorrupted(let ctx):
            description = "bad value at \(path(ctx.codingPath)): \(ctx.debugDescription)"
        default:
            description = "\(error)"
        }
    }
}

/// `{page, page_count, <items>: [...]}`, the items key depending on the endpoint.
struct PageOf<Tag: PageTag>: Decodable {
    let page: Int?
    let pageCount: Int?
    /// The elements, each decoded on its own so one bad element does not sink the page.
    let items: [Lossy<Tag.Item>]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        page = try c.decodeIfPresent(Int.self, forKey: Key(stringValue: "page"))
        pageCount = try c.decodeIfPresent(Int.self, forKey: Key(stringValue: "page_count"))
        items = try c.decode([Lossy<Tag.Item>].self, forKey: Key(stringValue: Tag.itemsKey))
    }
}

/// Names one paged endpoint's item type and array key.
protocol PageTag {
    associatedtype Item: Decodable & Sendable
    static var itemsKey: String { get }
}

enum WorkoutsPageTag: PageTag { typealias Item = HevyWorkout; static let itemsKey = "workouts" }
enum EventsPageTag: PageTag { typealias Item = HevyWorkoutEvent; static let itemsKey = "events" }
enum TemplatesPageTag: PageTag { typealias Item = HevyExerciseTemplate; static let itemsKey = "exercise_templates" }
enum BodyPageTag: PageTag { typealias Item = HevyBodyMeasurement; static let itemsKey = "body_measurements" }

// MARK: - Lenient numbers

extension KeyedDecodingContainer {
    /// Decodes a JSON number that must be whole (`3` or `3.0`); nil when absent or null.
    func decodeWholeNumberIfPresent(forKey key: Key) throws -> Int? {
        guard let d = try decodeIfPresent(Double.self, forKey: key) else { return nil }
        guard d.rounded() == d, abs(d) < 1e15 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a whole number, got \(d)")
        }
        return Int(d)
    }
}
