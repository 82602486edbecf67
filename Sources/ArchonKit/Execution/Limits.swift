// Documented caps that keep one command from growing without bound; each can be raised by a variable.

import Foundation

/// Caps on what one definition or one response may ask for.
///
/// - `ARCHON_MAX_SAMPLES` (1000): the most samples one technique instance or one bench may ask for
///   (the paper's largest configurations sample 1,000 times).
/// - `ARCHON_MAX_RESPONSE_MB` (16): the largest response body accepted from a model server; a larger
///   one is a recorded error, not an answer.
public enum Limits {
    public static var maxSamples: Int { positive("ARCHON_MAX_SAMPLES") ?? 1000 }
    public static var maxResponseBytes: Int { (positive("ARCHON_MAX_RESPONSE_MB") ?? 16) << 20 }

    static func positive(_ variable: String) -> Int? {
        ProcessInfo.processInfo.environment[variable].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }

    /// The words of a refusal: what the cap is and how to raise it.
    public static var samplesHint: String { "a whole number from 1 to \(maxSamples) (the cap; raise it with ARCHON_MAX_SAMPLES)" }
}
