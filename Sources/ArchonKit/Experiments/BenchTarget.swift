// What a bench measures: a model, an architecture (named or not), the gold answers, or answers
// recorded elsewhere.

import Foundation

/// The thing a bench asks: every kind answers an item turn by turn.
public enum BenchTarget: Sendable {
    case model(ModelSpec)
    case architecture(Architecture)
    /// The dataset's gold answers, given as answers (checks the harness).
    case reference
    case recorded(RecordedAnswers)

    /// `model`, `architecture`, `reference` or `recorded` (as stored).
    public var kind: String {
        switch self {
        case .model: "model"
        case .architecture: "architecture"
        case .reference: "reference"
        case .recorded: "recorded"
        }
    }

    /// The full definition: what the resume key is made of. A model's definition without its name;
    /// an architecture's layers with their models' definitions (the same text earlier versions hashed,
    /// so their stored results still resume).
    public var definition: String {
        switch self {
        case let .model(m): m.definition.replacingOccurrences(of: "model \(m.name) = ", with: "")
        case let .architecture(a):
            a.layers.map { $0.components.map { "\($0.notation()) \($0.model?.definition ?? "")" }.joined(separator: "+") }.joined(separator: "|")
        case .reference: "reference"
        case let .recorded(r):
            "recorded:\(r.name):" + (r.matchBy == .instruction ? "instruction:" : "") + SHA256.hex(r.answers.keys.sorted().map { "\($0)\u{1}\(r.answers[$0]!.joined(separator: "\u{2}"))" }.joined(separator: "\u{3}"))
        }
    }

    /// The same target with `seed` sent by every model it calls.
    func seeded(_ seed: Int?) -> BenchTarget {
        guard let seed else { return self }
        func reseed(_ m: ModelSpec) -> ModelSpec {
            var m = m
            m.parameters.seed = seed
            return m
        }
        switch self {
        case let .model(m): return .model(reseed(m))
        case let .architecture(a):
            var a = a
            for l in a.layers.indices {
                for c in a.layers[l].components.indices {
                    a.layers[l].components[c].model = a.layers[l].components[c].model.map(reseed)
                }
            }
            return .architecture(a)
        default: return self
        }
    }
}
