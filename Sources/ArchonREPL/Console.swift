// Printing to the terminal or a pipe: colours only on a terminal, and never with NO_COLOR.

@preconcurrency import Glibc
import ArchonKit
import Foundation

/// Where archon's output goes, and how it is styled.
enum Console {
    static let stdoutIsTerminal = isatty(1) == 1
    static let stdinIsTerminal = isatty(0) == 1
    static let colour = stdoutIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        && ProcessInfo.processInfo.environment["TERM"] != "dumb"

    /// Everything printed passes through `Formatting.visible`, so text from models, files and servers
    /// cannot drive the terminal; archon's own styles are marked with a private character that only
    /// this step turns into escape sequences.
    static func out(_ s: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((terminalText(s) + terminator).utf8))
    }

    static func err(_ s: String) {
        FileHandle.standardError.write(Data((terminalText(s) + "\n").utf8))
    }

    /// A mark no text from outside can contain: it is made anew by each process.
    static let styleMark = "\u{E000}" + UUID().uuidString + "\u{E000}"

    static func terminalText(_ s: String) -> String {
        // The mark itself would be escaped by `visible`, so split on it first.
        s.components(separatedBy: styleMark).map { Formatting.visible(Secrets.redact($0)) }.joined(separator: "\u{1B}")
    }

    static func styled(_ s: String, _ code: String) -> String { colour ? "\(styleMark)[\(code)m\(s)\(styleMark)[0m" : s }
    static func dim(_ s: String) -> String { styled(s, "2") }
    static func red(_ s: String) -> String { styled(s, "31") }
    static func bold(_ s: String) -> String { styled(s, "1") }

    /// Prints a cell's result (the parts that did not already stream).
    static func render(_ r: CellResult) {
        if r.streamed {
            out("")
        } else if !r.output.isEmpty {
            out(r.status == .ok || r.status == .incomplete ? r.output : red(r.output))
        }
        if let f = r.footer { out(dim(f)) }
    }
}
