// The line editor: libedit's native API with a getc that Ctrl-C can interrupt, history and completion.

@preconcurrency import CEdit
@preconcurrency import Glibc
import ArchonKit
import Foundation

/// Reads lines from a terminal with editing, persistent history and tab completion.
///
/// libedit's readline layer retries `read()` after EINTR, so a signal cannot make it return.
/// Here libedit reads through our own getc, which waits on the terminal *and* a wake-up pipe;
/// Ctrl-C (as SIGINT through ``Interrupts``, or as a raw 0x03 byte) ends the line as interrupted.
final class LineEditor: @unchecked Sendable {
    enum Input { case line(String), interrupted, eof }

    private var el: OpaquePointer!
    private var hist: OpaquePointer!
    private let historyPath: String
    private var promptBuffer: UnsafeMutablePointer<CChar>?
    private var wake: [Int32] = [-1, -1]
    private var interrupted = false
    private let completer: (String) -> (start: Int, candidates: [String])

    init(historyPath: String, completer: @escaping (String) -> (start: Int, candidates: [String])) {
        self.historyPath = historyPath
        self.completer = completer
        setlocale(LC_CTYPE, "")
        pipe(&wake)
        el = el_init("archon", stdin, stdout, stderr)
        hist = history_init()
        cedit_hist_setsize(hist, 2000)
        cedit_hist_setunique(hist, 1)
        cedit_hist_load(hist, historyPath)
        cedit_set_hist(el, hist)
        cedit_set_editor(el, "emacs")
        cedit_set_signal(el, 0)
        cedit_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        cedit_set_prompt(el) { e in
            let me = Unmanaged<LineEditor>.fromOpaque(cedit_get_clientdata(e)!).takeUnretainedValue()
            return me.promptBuffer
        }
        cedit_set_getc(el) { e, out in
            let me = Unmanaged<LineEditor>.fromOpaque(cedit_get_clientdata(e)!).takeUnretainedValue()
            return me.getc(out)
        }
        cedit_add_fn(el, "archon-complete", "complete the word under the cursor") { e, _ in
            let me = Unmanaged<LineEditor>.fromOpaque(cedit_get_clientdata(e!)!).takeUnretainedValue()
            return me.complete()
        }
        cedit_bind(el, "^I", "archon-complete")
    }

    deinit {
        el_end(el)
        history_end(hist)
        free(promptBuffer)
    }

    /// Wakes a pending read as if Ctrl-C had been typed (called from the interrupt thread).
    func interrupt() {
        var b: UInt8 = 1
        _ = write(wake[1], &b, 1)
    }

    /// Reads one line with `prompt`.
    func read(prompt: String) -> Input {
        free(promptBuffer)
        promptBuffer = strdup(prompt)
        interrupted = false
        var count: Int32 = 0
        let p = el_gets(el, &count)
        if interrupted { return .interrupted }
        guard let p, count > 0 else { return .eof }
        var line = String(cString: p)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Adds a complete command to the history and saves the history file.
    func remember(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        cedit_hist_enter(hist, line)
        cedit_hist_save(hist, historyPath)
    }

    private func getc(_ out: UnsafeMutablePointer<wchar_t>?) -> Int32 {
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)]
        while true {
            let n = poll(&fds, 2, -1)
            if n < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if fds[1].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 64)
                _ = Glibc.read(wake[0], &drain, 64)
                return endInterrupted(out)
            }
            if fds[0].revents != 0 { break }
        }
        var byte: UInt8 = 0
        let n = Glibc.read(0, &byte, 1)
        if n <= 0 { return n == 0 ? 0 : -1 }
        if byte == 0x03 { return endInterrupted(out) }
        var scalar = UInt32(byte)
        let extra = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0
        if extra > 0 {
            scalar = UInt32(byte) & (0x3F >> extra)
            for _ in 0..<extra {
                var next: UInt8 = 0
                guard Glibc.read(0, &next, 1) == 1 else { break }
                scalar = (scalar << 6) | UInt32(next & 0x3F)
            }
        }
        out?.pointee = wchar_t(bitPattern: scalar)
        return 1
    }

    private func endInterrupted(_ out: UnsafeMutablePointer<wchar_t>?) -> Int32 {
        interrupted = true
        out?.pointee = wchar_t(10)
        return 1
    }

    private func complete() -> UInt8 {
        let buffer = cedit_line_buffer(el)!
        let cursor = Int(cedit_line_cursor(el))
        let bytes = UnsafeRawBufferPointer(start: buffer, count: cursor)
        let prefix = String(decoding: bytes, as: UTF8.self)
        let (start, candidates) = completer(prefix)
        let word = String(Array(prefix)[start...])
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        if candidates.count == 1 {
            var rest = String(candidates[0].dropFirst(word.count))
            if !(rest.hasSuffix("/") || rest.hasSuffix("=") || rest.hasSuffix("(")) { rest += " " }
            el_insertstr(el, rest)
            return UInt8(CC_REFRESH)
        }
        let common = Completion.commonPrefix(candidates)
        if common.count > word.count {
            el_insertstr(el, String(common.dropFirst(word.count)))
            return UInt8(CC_REFRESH)
        }
        FileHandle.standardOutput.write(Data(("\n" + candidates.joined(separator: "  ") + "\n").utf8))
        return UInt8(CC_REDISPLAY)
    }
}
