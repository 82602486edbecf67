// Tab completion: which words fit where the cursor is.

import Foundation

/// Completes the word under the cursor from command words, defined names, option keys and files.
public enum Completion {
    /// The candidates for the word that ends at the end of `prefix` (the line up to the cursor),
    /// and where that word starts in `prefix`.
    public static func candidates(prefix: String, names: [String], fileManager: FileManager = .default)
        -> (start: Int, candidates: [String]) {
        let chars = Array(prefix)
        var start = chars.count
        var inString = false
        for c in chars where c == "\"" { inString.toggle() }
        while start > 0 {
            let c = chars[start - 1]
            if inString ? c == "\"" : (c == " " || c == "\t" || c == "\"" || c == "=") { break }
            start -= 1
        }
        let word = String(chars[start...])
        let before = String(chars[..<start])
        let previous = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let afterEquals = start > 0 && chars[start - 1] == "="
        let quoted = start > 0 && chars[start - 1] == "\""

        var pool: [String]
        if quoted || word.hasPrefix("/") || word.hasPrefix("./") || word.hasPrefix("~") {
            return (start, files(matching: word, fileManager: fileManager))
        } else if previous.isEmpty {
            pool = CommandCatalog.names
        } else {
            let command = previous[0]
            switch command {
            case "help": pool = previous.count == 1 ? CommandCatalog.names : []
            case "ask", "show": pool = previous.count == 1 ? names : []
            case "model":
                if previous.count == 3 && !afterEquals {
                    pool = ProviderPreset.all.map { "\($0.name)/" } + (word.contains("/") ? ["local/smollm2"] : [])
                } else if previous.count >= 4 && !afterEquals {
                    pool = ModelSpec.optionKeys.map { "\($0.key)=" }
                } else {
                    pool = []
                }
            case "explain": pool = previous.count == 1 ? names + TechniqueKind.allCases.map(\.shortName) + ["techniques"] : []
            case "load": pool = previous.count == 1 ? ["archon"] : (previous.count == 3 ? ["as"] : [])
            case "export": pool = previous.count == 1 ? ["archon"] : (previous.count == 2 ? names : [])
            case "arch":
                pool = previous.count >= 3 && !afterEquals && !word.contains("(")
                    ? TechniqueKind.allCases.map { "\($0.shortName)(" } : []
            case "bench", "compare":
                let slicePosition = command == "bench" ? 2 : 3
                if previous.count < slicePosition { pool = names + ["reference"] }
                else if previous.count == slicePosition && !afterEquals { pool = DatasetRegistry.names }
                else if afterEquals { pool = names }
                else { pool = BenchRequest.optionKeys.map { "\($0)=" } }
            case "results", "datasets": pool = previous.count == 1 ? DatasetRegistry.names : []
            case "dataset":
                pool = previous.count >= 4 && !afterEquals ? UserDatasetSpec.keys.map { "\($0.key)=" }
                    : (afterEquals && before.hasSuffix("scorer=") ? UserDatasetSpec.scorers : [])
            case "set": pool = previous.count == 1 ? ["cache", "concurrency", "deadline", "stream"]
                : (previous.last == "stream" ? ["on", "off"] : (previous.last == "cache" ? ["on", "off", "refresh"] : []))
            default: pool = previous.count == 1 ? names : []
            }
        }
        return (start, pool.filter { $0.hasPrefix(word) }.sorted())
    }

    static func files(matching word: String, fileManager: FileManager) -> [String] {
        let expanded = word.hasPrefix("~") ? NSString(string: word).expandingTildeInPath : word
        let dir: String
        let stem: String
        if let slash = expanded.lastIndex(of: "/") {
            dir = String(expanded[...slash])
            stem = String(expanded[expanded.index(after: slash)...])
        } else {
            dir = ""
            stem = expanded
        }
        let listed = (try? fileManager.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
        let shownDir = word.hasPrefix("~") ? String(word[...(word.lastIndex(of: "/") ?? word.startIndex)]) : dir
        return listed.filter { $0.hasPrefix(stem) && (!$0.hasPrefix(".") || stem.hasPrefix(".")) }.sorted().map { name in
            var isDir: ObjCBool = false
            _ = fileManager.fileExists(atPath: (dir.isEmpty ? "" : dir) + name, isDirectory: &isDir)
            let prefix = word.hasPrefix("~") && !word.contains("/") ? "" : shownDir
            return prefix + name + (isDir.boolValue ? "/" : "")
        }
    }

    /// The longest prefix shared by all `words`.
    public static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for w in words.dropFirst() {
            while !w.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
