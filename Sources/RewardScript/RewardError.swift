/// What went wrong with a learner's reward function, with where and what to do.
public enum RewardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The embedded Python could not start (the system's python3-dev is missing or broken).
    case pythonUnavailable(String)
    /// The reward file could not be read.
    case unreadable(path: String, reason: String)
    /// The code is not valid Python.
    case syntax(file: String, line: Int, column: Int, code: String, message: String)
    /// The code raised an exception, while loading (`whileLoading`) or inside `reward_function`.
    case exception(file: String, line: Int?, type: String, message: String, traceback: String, whileLoading: Bool)
    /// The file defines no `reward_function`.
    case missingFunction(file: String, defined: [String])
    /// `reward_function` is not a function of one argument.
    case wrongSignature(file: String, line: Int?, detail: String)
    /// The function returned something `float()` does not take.
    case notANumber(file: String, type: String, value: String)
    /// The function returned NaN or infinity.
    case notFinite(file: String, value: Double)
    /// The function returned a number outside -1e5 ... 1e5, which DeepRacer refuses.
    case outOfRange(file: String, value: Double)
    /// A call ran longer than the limit and was stopped.
    case timeout(file: String, seconds: Double, line: Int?)
    /// Loading the file (its imports and top-level code) ran longer than its limit and was stopped.
    case loadTimeout(file: String, seconds: Double, line: Int?)

    /// DeepRacer's limits on a reward.
    public static let allowedRange: ClosedRange<Double> = -1e5...1e5

    public var description: String {
        switch self {
        case .pythonUnavailable(let reason):
            return "Paddock could not start its embedded Python (\(reason)). "
                + "Run the set-up script again (scripts/setup.sh installs python3-dev)."
        case .unreadable(let path, let reason):
            return "\(path): the reward function could not be read (\(reason))."
        case .syntax(let file, let line, let column, let code, let message):
            var text = "\(file), line \(line), column \(column): \(message)."
            if !code.isEmpty {
                text += "\n    \(code)\n    " + String(repeating: " ", count: max(column - 1, 0)) + "^"
            }
            return text + "\nThis is not valid Python yet: fix the line above (check brackets, colons and indentation)."
        case .exception(let file, let line, let type, let message, let traceback, let whileLoading):
            let place = line.map { "\(file), line \($0)" } ?? file
            let when = whileLoading ? "while loading the file" : "inside reward_function"
            return "\(place): \(type): \(message) (raised \(when)).\n\(traceback)"
                + "Fix the code at that line; DeepRacer would stop training with the same error."
        case .missingFunction(let file, let defined):
            let found = defined.isEmpty ? "it defines no functions" : "it defines " + defined.joined(separator: ", ")
            return "\(file): there is no function called reward_function (\(found)). "
                + "DeepRacer calls exactly `def reward_function(params):` and uses what it returns."
        case .wrongSignature(let file, let line, let detail):
            let place = line.map { "\(file), line \($0)" } ?? file
            return "\(place): reward_function must take exactly one argument, the params dict (\(detail)). "
                + "Write it as `def reward_function(params):`."
        case .notANumber(let file, let type, let value):
            return "\(file): reward_function returned \(value) (a \(type)), not a number. "
                + "End it with `return float(reward)`; check that every path through the function returns a number."
        case .notFinite(let file, let value):
            return "\(file): reward_function returned \(value == value ? "an infinite number" : "NaN (not a number)"). "
                + "This usually comes from dividing by zero or from math on a missing value; DeepRacer refuses it."
        case .outOfRange(let file, let value):
            return "\(file): reward_function returned \(value), outside -100000 ... 100000, which DeepRacer refuses. "
                + "Keep rewards small (around 0 to 10) and let the car collect them step by step."
        case .timeout(let file, let seconds, let line):
            let place = line.map { " (it was at line \($0))" } ?? ""
            return "\(file): reward_function ran longer than \(seconds) s and was stopped\(place). "
                + "It runs 15 times a simulated second: look for a loop that never ends or heavy work in every call."
        case .loadTimeout(let file, let seconds, let line):
            let place = line.map { " (it was at line \($0))" } ?? ""
            return "\(file): loading the file (its imports and the code outside reward_function) took longer than "
                + "\(seconds) s and was stopped\(place). Look for a loop that never ends outside the "
                + "function, or an import that hangs."
        }
    }
}
