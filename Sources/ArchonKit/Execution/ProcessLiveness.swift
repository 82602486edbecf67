// Whether a process id still names a running process (for state left by a killed archon).

import Foundation

enum ProcessLiveness {
    /// False only when the kernel says no such process exists; a process of another user counts as alive.
    static func isAlive(_ pid: Int64) -> Bool {
        kill(pid_t(truncatingIfNeeded: pid), 0) == 0 || errno != ESRCH
    }
}
