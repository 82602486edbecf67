// Bradley–Terry strengths from pairwise battles (ties count half to each side), fitted with the
// minorise–maximise iteration, and bootstrap intervals for each player's win rate against an anchor.

import Foundation

/// One judged game: `a` against `b`, `outcome` 1 when `a` won, 0.5 for a tie, 0 when `b` won;
/// `weight` counts it several times (Arena-Hard counts a "much better" verdict three times).
public struct Battle: Sendable, Equatable {
    public var a: String
    public var b: String
    public var outcome: Double
    public var weight: Double

    public init(a: String, b: String, outcome: Double, weight: Double = 1) {
        self.a = a
        self.b = b
        self.outcome = outcome
        self.weight = weight
    }

    /// The battle an Arena-Hard verdict stands for, when `first` was shown as assistant A.
    public static func arena(first: String, second: String, label: String) -> Battle? {
        switch label {
        case "A>>B": Battle(a: first, b: second, outcome: 1, weight: 3)
        case "A>B": Battle(a: first, b: second, outcome: 1)
        case "A=B": Battle(a: first, b: second, outcome: 0.5)
        case "B>A": Battle(a: first, b: second, outcome: 0)
        case "B>>A": Battle(a: first, b: second, outcome: 0, weight: 3)
        default: nil
        }
    }
}

public enum BradleyTerry {
    /// Strengths (geometric mean 1) of every player in `battles`. A player who never scored gets 0.
    public static func fit(_ battles: [Battle], iterations: Int = 2000) -> [String: Double] {
        let players = Array(Set(battles.flatMap { [$0.a, $0.b] })).sorted()
        let index = Dictionary(uniqueKeysWithValues: players.enumerated().map { ($1, $0) })
        let n = players.count
        guard n > 1 else { return Dictionary(uniqueKeysWithValues: players.map { ($0, 1.0) }) }
        var wins = [Double](repeating: 0, count: n)
        var games = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for b in battles {
            let i = index[b.a]!, j = index[b.b]!
            guard i != j else { continue }
            wins[i] += b.weight * b.outcome
            wins[j] += b.weight * (1 - b.outcome)
            games[i][j] += b.weight
            games[j][i] += b.weight
        }
        var p = [Double](repeating: 1, count: n)
        for _ in 0..<iterations {
            var next = p
            for i in 0..<n {
                var denominator = 0.0
                for j in 0..<n where games[i][j] > 0 && p[i] + p[j] > 0 { denominator += games[i][j] / (p[i] + p[j]) }
                next[i] = denominator > 0 ? wins[i] / denominator : p[i]
            }
            // Scale so the positive strengths have geometric mean 1 (the fit is unique up to a factor).
            let positive = next.filter { $0 > 0 }
            let scale = positive.isEmpty ? 1 : exp(positive.map { log($0) }.reduce(0, +) / Double(positive.count))
            next = next.map { $0 / scale }
            let change = zip(next, p).map { abs($0 - $1) }.max() ?? 0
            p = next
            if change < 1e-12 { break }
        }
        return Dictionary(uniqueKeysWithValues: players.enumerated().map { ($1, p[$0]) })
    }

    /// The chance `player` beats `anchor` under the strengths.
    public static func winRate(_ player: String, against anchor: String, _ strengths: [String: Double]) -> Double {
        let a = strengths[player] ?? 0, b = strengths[anchor] ?? 0
        return a + b > 0 ? a / (a + b) : 0.5
    }

    /// Each player's win rate against `anchor` from the whole data, with the 2.5th–97.5th percentiles
    /// over `rounds` refits on battles resampled with replacement (seeded: the same every run).
    public static func winRates(_ battles: [Battle], anchor: String, rounds: Int = 100, seed: UInt64 = 1)
        -> [String: (rate: Double, low: Double, high: Double)] {
        let strengths = fit(battles)
        var samples: [String: [Double]] = [:]
        var rng = SeededGenerator(seed: seed)
        if !battles.isEmpty {
            for _ in 0..<rounds {
                let resampled = (0..<battles.count).map { _ in battles[Int(rng.next() % UInt64(battles.count))] }
                let s = fit(resampled)
                for player in strengths.keys where player != anchor {
                    samples[player, default: []].append(s[player] == nil ? 0.5 : winRate(player, against: anchor, s))
                }
            }
        }
        var out: [String: (Double, Double, Double)] = [:]
        for player in strengths.keys where player != anchor {
            let sorted = (samples[player] ?? []).sorted()
            let rate = winRate(player, against: anchor, strengths)
            guard !sorted.isEmpty else { out[player] = (rate, rate, rate); continue }
            out[player] = (rate, sorted[Int(Double(sorted.count) * 0.025)], sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.975))])
        }
        return out
    }
}
