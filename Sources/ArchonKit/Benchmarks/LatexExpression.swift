// Arithmetic written in (normal-form) LaTeX, read into a tree that can be evaluated: numbers, + − ·
// / and implied products, powers, \frac, \sqrt (and n-th roots), \binom, factorials, |…|, \pi,
// \infty, a few functions, and variables (letters, with subscripts).

import Foundation

/// An arithmetic expression read from a normal-form LaTeX answer.
indirect enum LatexExpression: Sendable {
    case number(Double)
    case variable(String)
    case negate(LatexExpression)
    case add(LatexExpression, LatexExpression)
    case subtract(LatexExpression, LatexExpression)
    case multiply(LatexExpression, LatexExpression)
    case divide(LatexExpression, LatexExpression)
    case power(LatexExpression, LatexExpression)
    case root(LatexExpression, degree: LatexExpression)
    case binomial(LatexExpression, LatexExpression)
    case factorial(LatexExpression)
    case absolute(LatexExpression)
    case function(String, LatexExpression)

    struct Unreadable: Error {}

    /// The expression written in `text` (normal form, no spaces); throws when it is not arithmetic.
    static func parse(_ text: String) throws -> LatexExpression {
        var p = Parser(tokens: try tokens(text))
        let e = try p.sum()
        guard p.at >= p.tokens.count else { throw Unreadable() }
        return e
    }

    /// Every variable the expression uses.
    var variables: Set<String> {
        switch self {
        case .number: return []
        case .variable(let v): return [v]
        case .negate(let a), .factorial(let a), .absolute(let a), .function(_, let a): return a.variables
        case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b), .divide(let a, let b), .power(let a, let b),
             .binomial(let a, let b), .root(let a, let b):
            return a.variables.union(b.variables)
        }
    }

    /// The value with the variables set as given (NaN where undefined).
    func value(_ variables: [String: Double]) -> Double {
        switch self {
        case .number(let v): return v
        case .variable(let name): return variables[name] ?? .nan
        case .negate(let a): return -a.value(variables)
        case .add(let a, let b): return a.value(variables) + b.value(variables)
        case .subtract(let a, let b): return a.value(variables) - b.value(variables)
        case .multiply(let a, let b): return a.value(variables) * b.value(variables)
        case .divide(let a, let b):
            let d = b.value(variables)
            return d == 0 ? .nan : a.value(variables) / d
        case .power(let a, let b): return pow(a.value(variables), b.value(variables))
        case .root(let a, let degree):
            let x = a.value(variables), n = degree.value(variables)
            if x < 0, n.truncatingRemainder(dividingBy: 2) == 1 { return -pow(-x, 1 / n) }
            return pow(x, 1 / n)
        case .binomial(let a, let b):
            let n = a.value(variables), k = b.value(variables)
            guard n == n.rounded(), k == k.rounded(), k >= 0, n >= 0, n < 1000 else { return .nan }
            guard k <= n else { return 0 }
            var r = 1.0
            for j in stride(from: 1.0, through: k, by: 1) { r = r * (n - k + j) / j }
            return r.rounded()
        case .factorial(let a):
            let n = a.value(variables)
            guard n == n.rounded(), n >= 0, n <= 170 else { return .nan }
            return stride(from: 2.0, through: n, by: 1).reduce(1, *)
        case .absolute(let a): return abs(a.value(variables))
        case .function(let name, let a):
            let x = a.value(variables)
            switch name {
            case "sin": return sin(x)
            case "cos": return cos(x)
            case "tan": return tan(x)
            case "ln": return log(x)
            case "log": return log10(x)
            case "exp": return exp(x)
            default: return .nan
            }
        }
    }

    // MARK: Reading

    enum Token: Equatable {
        case number(Double)
        case letter(String)
        case command(String)
        case symbol(Character)
    }

    static func tokens(_ text: String) throws -> [Token] {
        let chars = Array(text)
        var out: [Token] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isASCII, c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                var j = i
                while j < chars.count, chars[j].isASCII, chars[j].isNumber || chars[j] == "." { j += 1 }
                guard let v = Double(String(chars[i..<j])) else { throw Unreadable() }
                out.append(.number(v))
                i = j
            } else if c == "\\" {
                var name = command(chars, &i)
                if name == "\\{" || name == "\\}" { throw Unreadable() }
                if name == "\\cdot" { name = "*" }
                out.append(name == "*" ? .symbol("*") : .command(String(name.dropFirst())))
            } else if c.isLetter, c.isASCII {
                out.append(.letter(String(c)))
                i += 1
            } else if c == "{", i + 1 < chars.count, chars[i + 1] == "}" {
                i += 2 // an empty group only ends a command's name (`\pi{}r`)
            } else if "+-*/^_(){}[]|!".contains(c) {
                out.append(.symbol(c))
                i += 1
            } else {
                throw Unreadable()
            }
        }
        return out
    }

    static func command(_ chars: [Character], _ i: inout Int) -> String {
        LatexNormalForm.command(chars, &i)
    }

    struct Parser {
        var tokens: [Token]
        var at = 0

        var next: Token? { at < tokens.count ? tokens[at] : nil }

        mutating func take(_ symbol: Character) -> Bool {
            if next == .symbol(symbol) { at += 1; return true }
            return false
        }

        mutating func expect(_ symbol: Character) throws {
            guard take(symbol) else { throw Unreadable() }
        }

        mutating func sum() throws -> LatexExpression {
            var e: LatexExpression
            if take("-") { e = .negate(try product()) } else { _ = take("+"); e = try product() }
            while true {
                if take("+") { e = .add(e, try product()) }
                else if take("-") { e = .subtract(e, try product()) }
                else { return e }
            }
        }

        mutating func product() throws -> LatexExpression {
            var e = try powered()
            while true {
                if take("*") { e = .multiply(e, try powered()) }
                else if take("/") { e = .divide(e, try powered()) }
                else if startsFactor { e = .multiply(e, try powered()) }
                else { return e }
            }
        }

        /// Whether the next token begins a factor written right after another (an implied product).
        var startsFactor: Bool {
            switch next {
            case .number, .letter: return true
            case .command(let name): return Parser.leading.contains(name) || Parser.functions.contains(name)
            case .symbol(let c): return c == "(" || c == "{"
            case nil: return false
            }
        }

        static let leading: Set<String> = ["frac", "sqrt", "binom", "pi", "infty", "alpha", "beta", "gamma", "theta", "lambda", "mu", "sigma", "omega", "phi"]
        static let functions: Set<String> = ["sin", "cos", "tan", "ln", "log", "exp"]

        mutating func powered() throws -> LatexExpression {
            var base = try postfix()
            if take("^") {
                let exponent: LatexExpression
                if take("{") { exponent = try sum(); try expect("}") }
                else if take("-") { exponent = .negate(try postfix()) }
                else { exponent = try postfix() }
                base = .power(base, exponent)
                while take("!") { base = .factorial(base) }
            }
            return base
        }

        mutating func postfix() throws -> LatexExpression {
            var e = try primary()
            while take("!") { e = .factorial(e) }
            return e
        }

        mutating func group() throws -> LatexExpression {
            try expect("{")
            let e = try sum()
            try expect("}")
            return e
        }

        mutating func primary() throws -> LatexExpression {
            guard let token = next else { throw Unreadable() }
            at += 1
            switch token {
            case .number(let v): return .number(v)
            case .letter(var name):
                if take("_") {
                    if take("{") {
                        var sub = ""
                        while let t = next, t != .symbol("}") { sub += Parser.spelled(t); at += 1 }
                        try expect("}")
                        name += "_" + sub
                    } else if let t = next { name += "_" + Parser.spelled(t); at += 1 }
                }
                return .variable(name)
            case .symbol("("):
                let e = try sum()
                try expect(")")
                return e
            case .symbol("{"):
                let e = try sum()
                try expect("}")
                return e
            case .symbol("|"):
                let e = try sum()
                try expect("|")
                return .absolute(e)
            case .command("frac"):
                let a = try group()
                return .divide(a, try group())
            case .command("binom"):
                let a = try group()
                return .binomial(a, try group())
            case .command("sqrt"):
                var degree = LatexExpression.number(2)
                if take("[") { degree = try sum(); try expect("]") }
                return .root(try group(), degree: degree)
            case .command("pi"): return .number(Double.pi)
            case .command("infty"): return .number(.infinity)
            case .command(let name) where Parser.functions.contains(name):
                return .function(name, try powered())
            case .command(let name) where Parser.leading.contains(name):
                return .variable("\\" + name)
            default:
                throw Unreadable()
            }
        }

        static func spelled(_ t: Token) -> String {
            switch t {
            case .number(let v): return Formatting.number(v)
            case .letter(let s): return s
            case .command(let s): return "\\" + s
            case .symbol(let c): return String(c)
            }
        }
    }
}
