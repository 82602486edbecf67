// Lines from standard input, read with read(2): an interrupted read is retried, end of input ends.

@preconcurrency import Glibc
import Foundation

/// Reads standard input line by line without stdio. Swift's `readLine` retries `getline` while
/// errno is EINTR; after a Ctrl-C interrupted a read, stdin keeps its error flag, `getline` fails at
/// once with errno still EINTR, and the loop spins at end of input. This reader keeps its own buffer.
final class InputLines {
    private var buffer: [UInt8] = []
    private var atEnd = false
    private let fd: Int32

    init(fd: Int32 = 0) { self.fd = fd }

    /// The next line without its newline (a last line without one too), or nil at end of input.
    func next() -> String? {
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                var line = Array(buffer[..<nl])
                buffer.removeSubrange(...nl)
                if line.last == 13 { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = read(fd, &chunk, chunk.count)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                atEnd = true
            } else if n == 0 {
                atEnd = true
            } else {
                buffer.append(contentsOf: chunk[..<n])
            }
        }
    }
}
