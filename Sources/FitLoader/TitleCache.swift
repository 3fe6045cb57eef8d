import FitDomain

/// Memoizes ``TitleNormalizer`` results for the few hundred distinct titles of a file.
final class TitleCache {
    private var display: [String: String] = [:]
    private var keys: [String: String] = [:]

    /// The stored display form of `raw`.
    func display(_ raw: String) -> String {
        if let d = display[raw] { return d }
        let d = TitleNormalizer.display(raw)
        if display.count < 100_000 { display[raw] = d }
        return d
    }

    /// The matching key of a display title.
    func key(_ title: String) -> String {
        if let k = keys[title] { return k }
        let k = TitleNormalizer.key(title)
        if keys.count < 100_000 { keys[title] = k }
        return k
    }
}
