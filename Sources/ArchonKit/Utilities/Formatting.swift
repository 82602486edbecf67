// Small text formatting helpers shared by outputs and tables.

import Foundation

/// Number and duration formatting in one consistent style.
public enum Formatting {
    /// Text made safe for a terminal: control characters other than newline, tab and carriage return
    /// (ESC, BEL, the C1 range, DEL …) are shown as visible escapes (`\x1b`) instead of acting — a
    /// model's answer cannot change the title, clear the screen or write the clipboard.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if isControl(u) {
                out.append(contentsOf: String(format: u.value < 0x100 ? "\\x%02x" : "\\u{%04x}", u.value).unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    static func isControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v == 0x0A || v == 0x09 || v == 0x0D { return false }
        return v < 0x20 || (0x7F...0x9F).contains(v)
    }

    /// `0`, `0.7`, `1.25` — no trailing zeros.
    public static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        var s = String(format: "%.6f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// `412 ms` or `3.21 s`.
    public static func duration(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.2f s", seconds)
    }

    /// Pads or truncates to `width` characters.
    public static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// A plain text table with a header row.
    public static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : pad(c, widths[i]) }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// One line of at most `limit` characters, newlines shown as ⏎.
    public static func snippet(_ s: String, _ limit: Int = 70) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: " ⏎ ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }
}
