/// The fixed texts of a report (headings, labels, table headers) in English and Portuguese.
struct ReportStrings: Sendable {
    let title: String
    let summary: String
    let withoutModel: String
    let writtenBy: String
    let couldNotVerify: String
    let couldNotVerifyIntro: String
    let tablesHeading: String
    let chartsHeading: String
    let weekColumn: String
    let thisWeek: String
    let metric: String
    let sessions: String
    let targetSessions: String
    let sessionAdherence: String
    let hardSets: String
    let tonnage: String
    let prSessions: String
    let avgKcal: String
    let targetKcal: String
    let avgProtein: String
    let targetProtein: String
    let daysLogged: String
    let dietAdherence: String
    let proteinAdherence: String
    let weighIns: String
    let trendWeight: String
    let trendChange: String
    let energyBalance: String
    let maintenance: String
    let muscleGroup: String
    let muscleHeading: String
    let liftHeading: String
    let lift: String
    let change4w: String
    let prHeading: String
    let exercise: String
    let prKinds: String
    let topSet: String
    let missingHeading: String
    let chartE1RM: String
    /// The legend entry of a point that set a personal record.
    let prMark: String
    let chartMuscles: String
    let chartIntake: String
    let chartWeight: String
    let intake: String
    let target: String
    let weighIn: String
    let trend: String
    let date: String
    let noValue: String

    static func of(_ language: ReportLanguage) -> ReportStrings { language == .pt ? pt : en }

    /// The label of a missing-data item.
    func missing(_ m: MissingData, language: ReportLanguage) -> String {
        switch (m.kind, language) {
        case (.noData, .en): return "\(m.isoWeek): before the athlete's first week with data"
        case (.noData, .pt): return "\(m.isoWeek): antes da primeira semana com dados"
        case (.noTraining, .en): return "\(m.isoWeek): no workout logged"
        case (.noTraining, .pt): return "\(m.isoWeek): nenhum treino registado"
        case (.noNutrition, .en): return "\(m.isoWeek): no food logged"
        case (.noNutrition, .pt): return "\(m.isoWeek): nenhuma alimentação registada"
        case (.partialNutrition, .en): return "\(m.isoWeek): food logged on \(m.daysLogged ?? 0) of 7 days"
        case (.partialNutrition, .pt): return "\(m.isoWeek): alimentação registada em \(m.daysLogged ?? 0) de 7 dias"
        case (.noWeighIns, .en): return "\(m.isoWeek): no weigh-in"
        case (.noWeighIns, .pt): return "\(m.isoWeek): nenhuma pesagem"
        case (.noDietTargets, .en): return "\(m.isoWeek): no calorie or protein target set"
        case (.noDietTargets, .pt): return "\(m.isoWeek): sem meta de calorias nem de proteína"
        }
    }

    /// The label of a PR kind (`weight`, `e1rm`, `best_set`, `session_tonnage`).
    func prKind(_ kind: String, language: ReportLanguage) -> String {
        switch (kind, language) {
        case ("weight", .en): return "weight"
        case ("weight", .pt): return "carga"
        case ("e1rm", _): return "e1RM"
        case ("best_set", .en): return "best set"
        case ("best_set", .pt): return "melhor série"
        case ("session_tonnage", .en): return "session tonnage"
        case ("session_tonnage", .pt): return "volume da sessão"
        default: return kind
        }
    }

    static let en = ReportStrings(
        title: "Weekly report", summary: "Summary",
        withoutModel: "Written without a language model: this is the week's facts as text.",
        writtenBy: "Text written by", couldNotVerify: "Could not verify",
        couldNotVerifyIntro: "These numbers in the text above do not match the facts (allowing rounding and unit changes):",
        tablesHeading: "The facts", chartsHeading: "Charts", weekColumn: "Week", thisWeek: "this week", metric: "Metric",
        sessions: "Sessions", targetSessions: "Target sessions", sessionAdherence: "Session adherence (%)",
        hardSets: "Hard sets", tonnage: "Tonnage (kg)", prSessions: "Sessions with a PR", avgKcal: "Intake (kcal/day)",
        targetKcal: "Calorie target (kcal)", avgProtein: "Protein (g/day)", targetProtein: "Protein target (g)",
        daysLogged: "Days logged", dietAdherence: "Diet adherence (%)", proteinAdherence: "Protein adherence (%)",
        weighIns: "Weigh-ins", trendWeight: "Trend weight (kg)", trendChange: "Trend change (kg)",
        energyBalance: "Energy balance (kcal/day)", maintenance: "Estimated maintenance (kcal)",
        muscleGroup: "Muscle group", muscleHeading: "Weekly hard sets per muscle group", liftHeading: "Main lifts: best e1RM (kg)",
        lift: "Lift", change4w: "4-week change (kg)", prHeading: "Personal records this week", exercise: "Exercise",
        prKinds: "Records", topSet: "Top set", missingHeading: "Missing data",
        chartE1RM: "e1RM of the main lifts", prMark: "PR", chartMuscles: "Weekly hard sets per muscle group",
        chartIntake: "Daily intake vs target", chartWeight: "Body weight and trend",
        intake: "Intake", target: "Target", weighIn: "Weigh-in", trend: "Trend", date: "Date", noValue: "–")

    static let pt = ReportStrings(
        title: "Relatório semanal", summary: "Resumo",
        withoutModel: "Escrito sem modelo de linguagem: são os factos da semana em texto.",
        writtenBy: "Texto escrito por", couldNotVerify: "Não foi possível verificar",
        couldNotVerifyIntro: "Estes números do texto acima não correspondem aos factos (admitindo arredondamentos e mudanças de unidade):",
        tablesHeading: "Os factos", chartsHeading: "Gráficos", weekColumn: "Semana", thisWeek: "esta semana", metric: "Métrica",
        sessions: "Sessões", targetSessions: "Meta de sessões", sessionAdherence: "Cumprimento das sessões (%)",
        hardSets: "Séries efetivas", tonnage: "Volume (kg)", prSessions: "Sessões com recorde", avgKcal: "Ingestão (kcal/dia)",
        targetKcal: "Meta de calorias (kcal)", avgProtein: "Proteína (g/dia)", targetProtein: "Meta de proteína (g)",
        daysLogged: "Dias registados", dietAdherence: "Cumprimento da dieta (%)", proteinAdherence: "Cumprimento da proteína (%)",
        weighIns: "Pesagens", trendWeight: "Peso de tendência (kg)", trendChange: "Variação da tendência (kg)",
        energyBalance: "Balanço energético (kcal/dia)", maintenance: "Manutenção estimada (kcal)",
        muscleGroup: "Grupo muscular", muscleHeading: "Séries efetivas por grupo muscular e semana",
        liftHeading: "Exercícios principais: melhor e1RM (kg)", lift: "Exercício", change4w: "Variação em 4 semanas (kg)",
        prHeading: "Recordes pessoais desta semana", exercise: "Exercício", prKinds: "Recordes", topSet: "Série de topo",
        missingHeading: "Dados em falta",
        chartE1RM: "e1RM dos exercícios principais", prMark: "Recorde", chartMuscles: "Séries efetivas por grupo muscular e semana",
        chartIntake: "Ingestão diária vs meta", chartWeight: "Peso corporal e tendência",
        intake: "Ingestão", target: "Meta", weighIn: "Pesagem", trend: "Tendência", date: "Data", noValue: "–")
}
