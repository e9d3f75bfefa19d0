import CPython
import Foundation

/// Debian's CPython, embedded and started once per process.
///
/// Started isolated, so environment variables (`PYTHONPATH`, `PYTHONHOME`) and another Python
/// on `PATH` cannot redirect it: it sees the system's standard library and the packages apt
/// installed (numpy, scipy, shapely). After start-up the GIL is released; every use takes it
/// with `withGIL`.
final class PythonInterpreter: @unchecked Sendable {
    /// The interpreter, or why it could not start.
    static let shared: Result<PythonInterpreter, RewardError> = {
        do throws(RewardError) {
            return .success(try PythonInterpreter())
        } catch {
            return .failure(error)
        }
    }()

    /// Helper functions written in Python (tracebacks, signatures), in their own namespace.
    let formatException: UnsafeMutablePointer<PyObject>
    let checkSignature: UnsafeMutablePointer<PyObject>
    let definedFunctions: UnsafeMutablePointer<PyObject>
    let floatType: UnsafeMutablePointer<PyObject>
    let builtins: UnsafeMutablePointer<PyObject>

    private init() throws(RewardError) {
        var config = PyConfig()
        PyConfig_InitIsolatedConfig(&config)
        let program = "/usr/bin/python\(paddock_MajorVersion()).\(paddock_MinorVersion())"
        let status = withUnsafeMutablePointer(to: &config) { pointer in
            PyConfig_SetBytesString(pointer, &pointer.pointee.program_name, program)
        }
        if PyStatus_Exception(status) != 0 {
            PyConfig_Clear(&config)
            throw RewardError.pythonUnavailable("could not configure it for \(program)")
        }
        let started = Py_InitializeFromConfig(&config)
        PyConfig_Clear(&config)
        if PyStatus_Exception(started) != 0 {
            let message = started.err_msg.map { String(cString: $0) } ?? "unknown error"
            throw RewardError.pythonUnavailable(message)
        }
        // Helpers: easier to write in Python than through the C API.
        let helperSource = """
            import traceback, inspect

            def format_exception(exc, filename):
                frames = traceback.extract_tb(exc.__traceback__)
                lines = [f.lineno for f in frames if f.filename == filename]
                text = ''.join(traceback.format_exception(type(exc), exc, exc.__traceback__))
                return (text, lines[-1] if lines else -1, type(exc).__name__, str(exc))

            def check_signature(fn):
                if not callable(fn):
                    return ('it is a ' + type(fn).__name__ + ', not a function', -1)
                line = getattr(getattr(fn, '__code__', None), 'co_firstlineno', -1)
                try:
                    inspect.signature(fn).bind({})
                except TypeError as error:
                    return (str(error), line)
                except ValueError:
                    pass
                return None

            def defined_functions(namespace):
                return sorted(name for name, value in namespace.items()
                              if inspect.isfunction(value) and not name.startswith('_'))
            """
        guard let namespace = PyDict_New() else { throw RewardError.pythonUnavailable("out of memory") }
        PyDict_SetItemString(namespace, "__builtins__", PyEval_GetBuiltins())
        guard let result = PyRun_String(helperSource, Py_file_input, namespace, namespace) else {
            PyErr_Print()
            throw RewardError.pythonUnavailable("its standard library (traceback, inspect) did not load")
        }
        paddock_DecRef(result)
        guard let format = PyDict_GetItemString(namespace, "format_exception"),
            let check = PyDict_GetItemString(namespace, "check_signature"),
            let defined = PyDict_GetItemString(namespace, "defined_functions"),
            let builtins = PyEval_GetBuiltins(),
            let float = PyDict_GetItemString(builtins, "float")
        else {
            throw RewardError.pythonUnavailable("its helper functions did not load")
        }
        for object in [format, check, defined, float, builtins] { paddock_IncRef(object) }
        formatException = format
        checkSignature = check
        definedFunctions = defined
        floatType = float
        self.builtins = builtins
        // Let other threads (the watchdog) take the GIL; every use below takes it back.
        _ = PyEval_SaveThread()
    }

    /// Runs `body` holding the GIL.
    func withGIL<T>(_ body: () throws(RewardError) -> T) throws(RewardError) -> T {
        let state = PyGILState_Ensure()
        defer { PyGILState_Release(state) }
        return try body()
    }
}
