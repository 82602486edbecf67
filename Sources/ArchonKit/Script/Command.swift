// The parsed form of one command line.

/// One command of the language, as the parser understood it.
public enum Command: Sendable, Equatable {
    /// `model NAME = PROVIDER/MODEL key=value…`
    case model(ModelSpec)
    /// `ask TARGET "prompt"` — `target` is a model (or, later, an architecture) name.
    case ask(target: String, prompt: String, targetToken: Token)
    /// `models`
    case models
    /// `show N`
    case show(cell: Int)
    /// `help` or `help CMD`
    case help(topic: String?)
    /// `set KEY VALUE`
    case set(key: String, value: String)
    /// `sessions`
    case sessions
    /// `exit` / `quit`
    case exit
    /// `arch NAME = LAYER | LAYER …`
    case architecture(ArchitectureSyntax)
    /// `archs`
    case architectures
    /// `explain TECHNIQUE|ARCH|techniques`
    case explain(topic: String)
    /// `load archon "FILE" [as NAME]`
    case loadArchon(path: String, name: String?, options: LoadOptions = LoadOptions())
    /// `export archon NAME "FILE"`
    case exportArchon(name: String, path: String)
    /// `replay SESSION` (offline, into a new session)
    case replay(session: Int64)
    /// `rerun N`
    case rerun(cell: Int)
    /// `fork SESSION:CELL`
    case fork(session: Int64, cell: Int)
    /// `datasets [SLICE]`
    case datasets(slice: Slice?)
    /// `bench TARGET SLICE [samples=K] [judge=MODEL] [baseline=NAME]`
    case bench(BenchRequest)
    /// `results [DATASET]` — every stored bench result
    case results(dataset: String?)
    /// `compare A B SLICE [options]` — two stored bench results on the same items, paired
    case compare(BenchRequest, other: String)
    /// `dataset NAME = "FILE.jsonl" prompt=FIELD …` — a user's own JSONL file as a dataset
    case dataset(UserDatasetSpec)
    /// `answers NAME = "FILE" [format=alpaca_eval|fastchat]` — a published system's recorded answers
    case answers(name: String, path: String, format: RecordedAnswers.Format?)
    /// `ablate ARCH SLICE [options] [drop X] [replace N with LAYER] [vary KEY=V1,V2]`
    case ablate(AblationRequest)
    /// `diagnose ARCH SLICE [options]` — where an architecture loses correct answers
    case diagnose(BenchRequest)
    /// `space NAME = AXES…` — define a design space to search
    case space(SpaceSyntax)
    /// `space NAME` — its axes, sizes and cost range
    case describeSpace(name: String)
    /// `search SPACE SLICE optimizer=… budget=N …` — search a space for the best architecture
    case search(SearchRequest)

    /// The command word, as the user typed it (for the store and completion).
    public var word: String {
        switch self {
        case .model: "model"
        case .ask: "ask"
        case .models: "models"
        case .show: "show"
        case .help: "help"
        case .set: "set"
        case .sessions: "sessions"
        case .exit: "exit"
        case .architecture: "arch"
        case .architectures: "archs"
        case .explain: "explain"
        case .loadArchon: "load"
        case .exportArchon: "export"
        case .replay: "replay"
        case .rerun: "rerun"
        case .fork: "fork"
        case .datasets: "datasets"
        case .bench: "bench"
        case .dataset: "dataset"
        case .answers: "answers"
        case .ablate: "ablate"
        case .diagnose: "diagnose"
        case .space, .describeSpace: "space"
        case .search: "search"
        case .compare: "compare"
        case .results: "results"
        }
    }
}

/// How `load archon` reads a file: which rules it is held to, and which models go where.
public struct LoadOptions: Sendable, Equatable {
    public var rules: RuleSet = .strict
    /// `prompts=reference`: every technique uses the reference implementation's prompts.
    public var prompts: PromptStyle = .archon
    /// `route KEY=MODEL, …`: a model name or `model_type` of the file, and the session's model it goes to.
    public var routes: [Route] = []

    public struct Route: Sendable, Equatable {
        public var from: String
        public var to: String
        public init(from: String, to: String) { (self.from, self.to) = (from, to) }
    }

    public init(rules: RuleSet = .strict, prompts: PromptStyle = .archon, routes: [Route] = []) {
        self.rules = rules
        self.prompts = prompts
        self.routes = routes
    }
}
