/// The report text without a model (`--llm none`): the week's facts as sentences, in English or Portuguese.
///
/// Every number it writes is a fact or a documented derived value (a difference between two weeks), so the
/// grounding check verifies all of them.
enum FactsNarrative {
    static func render(_ f: WeeklyFacts, language l: ReportLanguage) -> String {
        let pt = l == .pt
        let w = f.thisWeek, p = f.weeks[1]
        func kg(_ v: Double) -> String { NumberText.kg(v, l) }
        func whole(_ v: Double) -> String { NumberText.whole(v, l) }
        func pct(_ v: Double) -> String { NumberText.pct(v, l) }
        func vsLast(_ a: Double?, _ b: Double?, _ d: Int, _ unit: String) -> String {
            guard let a, let b else { return "" }
            let diff = NumberText.signed(a - b, decimals: d, language: l)
            return pt ? ", \(diff)\(unit) face à semana anterior" : ", \(diff)\(unit) vs the week before"
        }
        var paragraphs: [String] = []           // the byline says it was written without a model

        // Training
        var training: [String] = []
        let sessions = w.sessions ?? 0
        if let t = w.targetSessions {
            training.append(pt ? "Treinos: \(sessions) sessões para uma meta de \(NumberText.format(t, decimals: 1, language: l))"
                               : "Training: \(sessions) sessions against a target of \(NumberText.format(t, decimals: 1, language: l))")
            if let a = w.sessionAdherencePct { training[training.count - 1] += pt ? " (\(pct(a)) %)" : " (\(pct(a))%)" }
        } else {
            training.append(pt ? "Treinos: \(sessions) sessões, sem meta definida" : "Training: \(sessions) sessions, no target set")
        }
        training[training.count - 1] += vsLast(w.sessions.map(Double.init), p.sessions.map(Double.init), 0, "") + "."
        if let h = w.hardSets {
            training.append((pt ? "Séries efetivas: \(h)" : "Hard sets: \(h)")
                            + vsLast(Double(h), p.hardSets.map(Double.init), 0, "") + ".")
        }
        if let t = w.tonnageKg {
            training.append((pt ? "Volume: \(whole(t)) kg" : "Tonnage: \(whole(t)) kg") + vsLast(t, p.tonnageKg, 0, " kg") + ".")
        }
        if !f.personalRecords.isEmpty {
            let s = ReportStrings.of(l)
            let list = f.personalRecords.map { "\($0.exerciseTitle) (\($0.kinds.map { s.prKind($0, language: l) }.joined(separator: ", ")))" }
            training.append((pt ? "Recordes pessoais: " : "Personal records: ") + list.joined(separator: "; ") + ".")
        } else if w.hasData {
            training.append(pt ? "Sem recordes pessoais esta semana." : "No personal records this week.")
        }
        paragraphs.append(training.joined(separator: " "))

        // Main lifts
        if !f.mainLifts.isEmpty {
            var lines = [pt ? "Exercícios principais (melhor e1RM da semana):" : "Main lifts (best e1RM of the week):"]
            for lift in f.mainLifts {
                var line = "- **\(lift.exerciseTitle)**: "
                if let e = lift.e1rmKg.first ?? nil { line += "\(kg(e)) kg" } else { line += pt ? "não treinado esta semana" : "not trained this week" }
                if let c = lift.e1rmChangeKg {
                    line += pt ? "; variação em 4 semanas \(NumberText.signed(c, decimals: 2, language: l)) kg"
                               : "; 4-week change \(NumberText.signed(c, decimals: 2, language: l)) kg"
                }
                lines.append(line)
            }
            paragraphs.append(lines.joined(separator: "\n"))
        }

        // Diet
        var diet: [String] = []
        if let kcal = w.avgKcal, let days = w.daysLogged, days > 0 {
            diet.append(pt ? "Alimentação: média de \(whole(kcal)) kcal por dia em \(days) dias registados"
                           : "Eating: an average of \(whole(kcal)) kcal a day over \(days) logged days")
            if let t = w.targetKcal { diet[0] += pt ? " (meta \(whole(t)) kcal)" : " (target \(whole(t)) kcal)" }
            diet[0] += "."
            if let prot = w.avgProteinG {
                var s = pt ? "Proteína: \(whole(prot)) g por dia" : "Protein: \(whole(prot)) g a day"
                if let t = w.targetProteinG { s += pt ? " (meta \(whole(t)) g)" : " (target \(whole(t)) g)" }
                diet.append(s + ".")
            }
            if let a = w.dietAdherencePct {
                diet.append(pt ? "Dias dentro da meta: \(pct(a)) %." : "Days on target: \(pct(a))%.")
            }
            if let a = w.proteinAdherencePct {
                diet.append(pt ? "Dias com a proteína atingida: \(pct(a)) %." : "Days meeting the protein target: \(pct(a))%.")
            }
        } else {
            diet.append(pt ? "Alimentação: nada registado esta semana." : "Eating: nothing logged this week.")
        }
        paragraphs.append(diet.joined(separator: " "))

        // Body weight
        var body: [String] = []
        if let t = w.trendWeightKg {
            body.append(pt ? "Peso de tendência no domingo: \(kg(t)) kg" : "Trend weight on Sunday: \(kg(t)) kg")
            if let c = w.trendWeightChangeKg {
                body[0] += pt ? " (\(NumberText.signed(c, decimals: 2, language: l)) kg na semana)"
                              : " (\(NumberText.signed(c, decimals: 2, language: l)) kg over the week)"
            }
            body[0] += "."
        }
        if let b = w.energyBalanceKcalPerDay {
            var s = pt ? "Balanço energético estimado: \(NumberText.signed(b, decimals: 0, language: l)) kcal por dia"
                       : "Estimated energy balance: \(NumberText.signed(b, decimals: 0, language: l)) kcal a day"
            if let m = w.estimatedMaintenanceKcal { s += pt ? "; manutenção estimada \(whole(m)) kcal" : "; estimated maintenance \(whole(m)) kcal" }
            body.append(s + ".")
        } else if w.hasData {
            body.append(pt ? "Sem balanço energético: requer 7 dias registados e pelo menos 2 pesagens."
                           : "No energy balance: it needs 7 logged days and at least 2 weigh-ins.")
        }
        if !body.isEmpty { paragraphs.append(body.joined(separator: " ")) }

        // Missing
        let thisWeekMissing = f.missing.filter { $0.isoWeek == f.isoWeek }
        if !thisWeekMissing.isEmpty {
            let s = ReportStrings.of(l)
            paragraphs.append((pt ? "Em falta:\n" : "Missing:\n")
                              + thisWeekMissing.map { "- " + s.missing($0, language: l) }.joined(separator: "\n"))
        }
        return paragraphs.joined(separator: "\n\n")
    }
}
