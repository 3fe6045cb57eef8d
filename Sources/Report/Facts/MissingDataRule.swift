/// The one rule for what a week is missing (see ``MissingData/Kind``).
public enum MissingDataRule {
    /// The missing items of each week, the report week first.
    public static func find(in weeks: [WeekFacts]) -> [MissingData] {
        var out: [MissingData] = []
        for w in weeks {
            guard w.hasData else { out.append(MissingData(isoWeek: w.isoWeek, kind: .noData)); continue }
            if (w.sessions ?? 0) == 0 { out.append(MissingData(isoWeek: w.isoWeek, kind: .noTraining)) }
            let logged = w.daysLogged ?? 0
            if logged == 0 { out.append(MissingData(isoWeek: w.isoWeek, kind: .noNutrition)) }
            else if logged < 7 { out.append(MissingData(isoWeek: w.isoWeek, kind: .partialNutrition, daysLogged: logged)) }
            if (w.weighIns ?? 0) == 0 { out.append(MissingData(isoWeek: w.isoWeek, kind: .noWeighIns)) }
            if w.targetKcal == nil && w.targetProteinG == nil { out.append(MissingData(isoWeek: w.isoWeek, kind: .noDietTargets)) }
        }
        return out
    }
}
