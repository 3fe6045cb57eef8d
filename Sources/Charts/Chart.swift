/// A point of a time series: an ISO date (`YYYY-MM-DD`) and a value, optionally marked (a PR, for example).
public struct TimePoint: Sendable, Codable, Equatable {
    public var date: String
    public var value: Double
    public var marked: Bool

    public init(date: String, value: Double, marked: Bool = false) {
        self.date = date
        self.value = value
        self.marked = marked
    }
}

/// A named line of a ``LineChart``.
public struct LineSeries: Sendable, Codable, Equatable {
    public var name: String
    public var points: [TimePoint]

    public init(name: String, points: [TimePoint]) {
        self.name = name
        self.points = points
    }
}

/// A line chart over dates: one line per series, an optional horizontal target line.
public struct LineChart: Sendable, Codable, Equatable {
    public var title: String
    /// The y axis label, unit included (e.g. `e1RM (kg)`).
    public var yLabel: String
    public var series: [LineSeries]
    /// A reference value drawn as a dashed line (a calorie target, for example).
    public var target: Double?
    public var targetLabel: String?
    /// What the chart says when no series has a point (default: "No data yet").
    public var emptyMessage: String?
    /// The legend entry of marked points (default: "PR").
    public var markedLabel: String?

    public init(title: String, yLabel: String, series: [LineSeries], target: Double? = nil, targetLabel: String? = nil,
                emptyMessage: String? = nil, markedLabel: String? = nil) {
        self.title = title
        self.yLabel = yLabel
        self.series = series
        self.target = target
        self.targetLabel = targetLabel
        self.emptyMessage = emptyMessage
        self.markedLabel = markedLabel
    }
}

/// A named group of bar values, one per category of a ``BarChart`` (nil = no bar).
public struct BarSeries: Sendable, Codable, Equatable {
    public var name: String
    public var values: [Double?]

    public init(name: String, values: [Double?]) {
        self.name = name
        self.values = values
    }
}

/// A grouped bar chart: categories on the x axis (weeks, muscle groups), one bar per series in each.
public struct BarChart: Sendable, Codable, Equatable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var categories: [String]
    public var series: [BarSeries]
    /// A reference value drawn as a dashed line (sessions per week, for example).
    public var target: Double?
    public var targetLabel: String?
    /// What the chart says when there is no bar (default: "No data yet").
    public var emptyMessage: String?

    public init(title: String, xLabel: String, yLabel: String, categories: [String], series: [BarSeries],
                target: Double? = nil, targetLabel: String? = nil, emptyMessage: String? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.series = series
        self.target = target
        self.targetLabel = targetLabel
        self.emptyMessage = emptyMessage
    }
}
