import CPython
import Foundation
import Simulator

/// A learner's `reward_function(params)`, compiled in the embedded Python and ready to call.
///
/// Runs the same Python a learner would paste into the DeepRacer console: the file is executed
/// in a namespace of its own (so it may import math, random, numpy, scipy and shapely), then
/// `reward_function` is called with a fresh params dict each step and its result turned into a
/// float as DeepRacer does (`float(reward)`), refused when NaN, infinite or outside -1e5 ... 1e5.
/// A call that runs past `timeLimit` is stopped; loading the file (its imports and top-level code)
/// has a limit of its own, `loadTimeLimit`, since `import numpy` alone can take seconds on a busy
/// laptop. Every mistake comes back as a `RewardError` that
/// names the file and line; nothing a reward function does can crash the caller (short of
/// ending the process from Python).
///
/// Not for use from two threads at once.
public final class RewardFunction: @unchecked Sendable {
    /// The name used in messages and tracebacks (usually the file's path).
    public let fileName: String
    public let source: String
    /// Seconds one call may run before it is stopped (default 1 s).
    public var timeLimit: Double
    /// Seconds loading the file may take (its imports and top-level code), by default.
    public static let defaultLoadTimeLimit = 30.0

    private let interpreter: PythonInterpreter
    private let namespace: UnsafeMutablePointer<PyObject>
    private let function: UnsafeMutablePointer<PyObject>
    private let converter: ParamsConverter

    /// Compiles `source` and finds its `reward_function`.
    ///
    /// - Parameters:
    ///   - fileName: shown in errors and tracebacks.
    ///   - timeLimit: seconds one call may run.
    ///   - loadTimeLimit: seconds running the file once (imports, definitions) may take.
    public init(
        source: String, fileName: String, timeLimit: Double = 1.0, loadTimeLimit: Double = defaultLoadTimeLimit
    ) throws(RewardError) {
        let interpreter = try PythonInterpreter.shared.get()
        self.interpreter = interpreter
        self.fileName = fileName
        self.source = source
        self.timeLimit = timeLimit
        (namespace, function, converter) = try interpreter.withGIL { () throws(RewardError) in
            guard let code = Py_CompileString(source, fileName, Py_file_input) else {
                throw Self.currentError(interpreter: interpreter, fileName: fileName, whileLoading: true)
            }
            defer { paddock_DecRef(code) }
            guard let namespace = PyDict_New() else { throw RewardError.pythonUnavailable("out of memory") }
            PyDict_SetItemString(namespace, "__builtins__", interpreter.builtins)
            let name = PyUnicode_FromString("__reward_function__")
            let file = PyUnicode_FromString(fileName)
            PyDict_SetItemString(namespace, "__name__", name)
            PyDict_SetItemString(namespace, "__file__", file)
            paddock_XDecRef(name)
            paddock_XDecRef(file)
            // Run the file once: imports and definitions, as DeepRacer loads it.
            let deadline = Watchdog.shared.begin(limit: loadTimeLimit)
            let result = PyEval_EvalCode(code, namespace, namespace)
            let stopped = Watchdog.shared.end(deadline)
            guard let result else {
                let error = Self.currentError(interpreter: interpreter, fileName: fileName, whileLoading: true)
                paddock_DecRef(namespace)
                if stopped, case .exception(_, let line, _, _, _, _) = error {
                    throw RewardError.loadTimeout(file: fileName, seconds: loadTimeLimit, line: line)
                }
                throw error
            }
            paddock_DecRef(result)
            guard let function = PyDict_GetItemString(namespace, "reward_function") else {
                let defined = Self.definedFunctions(interpreter: interpreter, namespace: namespace)
                paddock_DecRef(namespace)
                throw RewardError.missingFunction(file: fileName, defined: defined)
            }
            if let problem = Self.signatureProblem(interpreter: interpreter, function: function) {
                paddock_DecRef(namespace)
                throw RewardError.wrongSignature(file: fileName, line: problem.line, detail: problem.detail)
            }
            paddock_IncRef(function)
            return (namespace, function, ParamsConverter())
        }
    }

    /// Reads and compiles a reward file.
    public convenience init(
        contentsOf url: URL, timeLimit: Double = 1.0, loadTimeLimit: Double = defaultLoadTimeLimit
    ) throws(RewardError) {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw RewardError.unreadable(path: url.path, reason: exists ? "it is not UTF-8 text" : "no such file")
        }
        try self.init(source: text, fileName: url.path, timeLimit: timeLimit, loadTimeLimit: loadTimeLimit)
    }

    deinit {
        let state = PyGILState_Ensure()
        paddock_DecRef(function)
        paddock_DecRef(namespace)
        converter.release()
        PyGILState_Release(state)
    }

    /// Calls `reward_function` with `params` and returns its reward.
    public func reward(for params: RewardParams) throws(RewardError) -> Double {
        try interpreter.withGIL { () throws(RewardError) in try callHoldingGIL(params) }
    }

    /// Calls `reward_function` for each params in turn, taking the GIL once: faster for many calls.
    /// Stops at the first error.
    public func rewards(for batch: [RewardParams]) throws(RewardError) -> [Double] {
        try interpreter.withGIL { () throws(RewardError) in
            var rewards: [Double] = []
            rewards.reserveCapacity(batch.count)
            for params in batch { rewards.append(try callHoldingGIL(params)) }
            return rewards
        }
    }

    private func callHoldingGIL(_ params: RewardParams) throws(RewardError) -> Double {
        guard let dict = converter.dictionary(for: params) else { throw RewardError.pythonUnavailable("out of memory") }
        let call = Watchdog.shared.begin(limit: timeLimit)
        let result = PyObject_CallOneArg(function, dict)
        let stopped = Watchdog.shared.end(call)
        paddock_DecRef(dict)
        guard let result else {
            let error = Self.currentError(interpreter: interpreter, fileName: fileName, whileLoading: false)
            if stopped, case .exception(_, let line, _, _, _, _) = error {
                throw RewardError.timeout(file: fileName, seconds: timeLimit, line: line)
            }
            throw error
        }
        defer { paddock_DecRef(result) }
        let value: Double
        if paddock_FloatCheck(result) != 0 {
            value = PyFloat_AsDouble(result)
        } else {
            // DeepRacer applies float() to the result: ints, bools and numpy numbers pass.
            guard let converted = PyObject_CallOneArg(interpreter.floatType, result) else {
                PyErr_Clear()
                throw RewardError.notANumber(file: fileName, type: Self.typeName(result), value: Self.repr(result))
            }
            value = PyFloat_AsDouble(converted)
            paddock_DecRef(converted)
        }
        guard value.isFinite else { throw RewardError.notFinite(file: fileName, value: value) }
        guard RewardError.allowedRange.contains(value) else {
            throw RewardError.outOfRange(file: fileName, value: value)
        }
        return value
    }

    // MARK: - Reading Python's errors

    /// The pending Python exception as a `RewardError` (and clears it). Call with the GIL held.
    static func currentError(interpreter: PythonInterpreter, fileName: String, whileLoading: Bool) -> RewardError {
        var type: UnsafeMutablePointer<PyObject>?
        var value: UnsafeMutablePointer<PyObject>?
        var traceback: UnsafeMutablePointer<PyObject>?
        PyErr_Fetch(&type, &value, &traceback)
        PyErr_NormalizeException(&type, &value, &traceback)
        defer {
            paddock_XDecRef(type)
            paddock_XDecRef(value)
            paddock_XDecRef(traceback)
        }
        guard let value else {
            return .exception(
                file: fileName, line: nil, type: "Error", message: "unknown error", traceback: "",
                whileLoading: whileLoading)
        }
        if let traceback { PyException_SetTraceback(value, traceback) }
        if PyErr_GivenExceptionMatches(value, paddock_ExcSyntaxError()) != 0 {
            let line = integerAttribute(value, "lineno") ?? 0
            let column = integerAttribute(value, "offset") ?? 0
            let code = stringAttribute(value, "text")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let message = stringAttribute(value, "msg") ?? "invalid syntax"
            // Python counts the column in the original line; the trimmed code loses its indent.
            let indent = (stringAttribute(value, "text") ?? "").prefix { $0 == " " || $0 == "\t" }.count
            return .syntax(file: fileName, line: line, column: max(column - indent, 1), code: code, message: message)
        }
        // Format it with the traceback module: (text, line in the learner's file, type, message).
        let name = PyUnicode_FromString(fileName)
        var arguments: [UnsafeMutablePointer<PyObject>?] = [value, name]
        let formatted = arguments.withUnsafeMutableBufferPointer { buffer in
            PyObject_Vectorcall(interpreter.formatException, buffer.baseAddress, 2, nil)
        }
        paddock_XDecRef(name)
        guard let formatted else {
            PyErr_Clear()
            return .exception(
                file: fileName, line: nil, type: typeName(value), message: repr(value), traceback: "",
                whileLoading: whileLoading)
        }
        defer { paddock_DecRef(formatted) }
        let text = string(PyTuple_GetItem(formatted, 0)) ?? ""
        let line = PyLong_AsLong(PyTuple_GetItem(formatted, 1))
        return .exception(
            file: fileName, line: line > 0 ? line : nil, type: string(PyTuple_GetItem(formatted, 2)) ?? "Exception",
            message: string(PyTuple_GetItem(formatted, 3)) ?? "", traceback: text, whileLoading: whileLoading)
    }

    static func signatureProblem(interpreter: PythonInterpreter, function: UnsafeMutablePointer<PyObject>) -> (
        detail: String, line: Int?
    )? {
        guard let result = PyObject_CallOneArg(interpreter.checkSignature, function) else {
            PyErr_Clear()
            return nil
        }
        defer { paddock_DecRef(result) }
        if result == paddock_None() { return nil }
        let line = PyLong_AsLong(PyTuple_GetItem(result, 1))
        return (string(PyTuple_GetItem(result, 0)) ?? "it cannot be called with one argument", line > 0 ? line : nil)
    }

    static func definedFunctions(interpreter: PythonInterpreter, namespace: UnsafeMutablePointer<PyObject>) -> [String]
    {
        guard let list = PyObject_CallOneArg(interpreter.definedFunctions, namespace) else {
            PyErr_Clear()
            return []
        }
        defer { paddock_DecRef(list) }
        return (0..<PyList_Size(list)).compactMap { string(PyList_GetItem(list, $0)) }
    }

    static func string(_ object: UnsafeMutablePointer<PyObject>?) -> String? {
        guard let object, let utf8 = PyUnicode_AsUTF8(object) else {
            PyErr_Clear()
            return nil
        }
        return String(cString: utf8)
    }

    static func stringAttribute(_ object: UnsafeMutablePointer<PyObject>, _ name: String) -> String? {
        guard let attribute = PyObject_GetAttrString(object, name) else {
            PyErr_Clear()
            return nil
        }
        defer { paddock_DecRef(attribute) }
        return attribute == paddock_None() ? nil : string(attribute)
    }

    static func integerAttribute(_ object: UnsafeMutablePointer<PyObject>, _ name: String) -> Int? {
        guard let attribute = PyObject_GetAttrString(object, name) else {
            PyErr_Clear()
            return nil
        }
        defer { paddock_DecRef(attribute) }
        guard paddock_LongCheck(attribute) != 0 else { return nil }
        return PyLong_AsLong(attribute)
    }

    static func typeName(_ object: UnsafeMutablePointer<PyObject>) -> String {
        guard let type = PyObject_Type(object) else { return "object" }
        defer { paddock_DecRef(type) }
        guard let name = PyObject_GetAttrString(type, "__name__") else {
            PyErr_Clear()
            return "object"
        }
        defer { paddock_DecRef(name) }
        return string(name) ?? "object"
    }

    static func repr(_ object: UnsafeMutablePointer<PyObject>) -> String {
        guard let text = PyObject_Repr(object) else {
            PyErr_Clear()
            return "?"
        }
        defer { paddock_DecRef(text) }
        let value = string(text) ?? "?"
        return value.count > 80 ? String(value.prefix(77)) + "..." : value
    }
}
