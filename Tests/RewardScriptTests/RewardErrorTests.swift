import Foundation
import Testing

@testable import RewardScript
@testable import Simulator

/// Every mistake a learner makes comes back as a message naming the file and line.
@Suite(.serialized) struct RewardErrorTests {
    static func error(
        _ source: String, timeLimit: Double = 1.0, loadTimeLimit: Double = RewardFunction.defaultLoadTimeLimit
    ) -> RewardError? {
        do {
            let function = try RewardFunction(
                source: source, fileName: "my_reward.py", timeLimit: timeLimit, loadTimeLimit: loadTimeLimit)
            _ = try function.reward(for: StraightPoses.params(offset: 0))
            return nil
        } catch {
            return error
        }
    }

    @Test func syntaxError() {
        let error = Self.error("def reward_function(params):\n    if params['x'] > 1\n        return 1.0\n")
        guard case .syntax(let file, let line, let column, let code, _) = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(file == "my_reward.py")
        #expect(line == 2)
        #expect(column >= 17)
        #expect(code == "if params['x'] > 1")
        #expect(error?.description.contains("my_reward.py, line 2") == true)
        #expect(error?.description.contains("^") == true)
    }

    @Test func indentationError() {
        let error = Self.error("def reward_function(params):\nreturn 1.0\n")
        guard case .syntax(_, let line, _, _, let message) = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(line == 2)
        #expect(message.contains("indent"))
    }

    @Test func exceptionInsideTheFunction() {
        let source = """
            def helper(params):
                return params['speed'] / 0

            def reward_function(params):
                return helper(params)
            """
        let error = Self.error(source)
        guard case .exception(let file, let line, let type, let message, let traceback, let whileLoading) = error else {
            Issue.record("expected an exception, got \(String(describing: error))")
            return
        }
        #expect(file == "my_reward.py")
        #expect(line == 2)
        #expect(type == "ZeroDivisionError")
        #expect(message.contains("division by zero"))
        #expect(traceback.contains("File \"my_reward.py\", line 5, in reward_function"))
        #expect(!whileLoading)
    }

    @Test func misspelledKey() {
        let error = Self.error("def reward_function(params):\n    return params['distance_from_centre']\n")
        guard case .exception(_, let line, let type, let message, _, _) = error else {
            Issue.record("expected an exception, got \(String(describing: error))")
            return
        }
        #expect(line == 2)
        #expect(type == "KeyError")
        #expect(message.contains("distance_from_centre"))
    }

    @Test func exceptionWhileLoading() {
        let error = Self.error("import nonexistent_module\n\ndef reward_function(params):\n    return 1.0\n")
        guard case .exception(_, let line, let type, _, _, let whileLoading) = error else {
            Issue.record("expected an exception, got \(String(describing: error))")
            return
        }
        #expect(line == 1)
        #expect(type == "ModuleNotFoundError")
        #expect(whileLoading)
    }

    @Test func missingFunction() {
        let error = Self.error("def reward(params):\n    return 1.0\n")
        #expect(error == .missingFunction(file: "my_reward.py", defined: ["reward"]))
        #expect(error?.description.contains("def reward_function(params):") == true)
    }

    @Test func wrongSignature() {
        let error = Self.error("def reward_function():\n    return 1.0\n")
        guard case .wrongSignature(_, let line, _) = error else {
            Issue.record("expected a signature error, got \(String(describing: error))")
            return
        }
        #expect(line == 1)
        #expect(
            Self.error("def reward_function(params, extra):\n    return 1.0\n").map { error in
                if case .wrongSignature = error { return true }
                return false
            } == true)
        #expect(
            Self.error("reward_function = 3\n").map { error in
                if case .wrongSignature = error { return true }
                return false
            } == true)
        // Extra arguments with defaults are fine, as in Python.
        #expect(Self.error("def reward_function(params, scale=1.0):\n    return scale\n") == nil)
    }

    @Test func notANumber() {
        #expect(
            Self.error("def reward_function(params):\n    reward = 1.0\n")
                == .notANumber(file: "my_reward.py", type: "NoneType", value: "None"))
        #expect(
            Self.error("def reward_function(params):\n    return [1.0]\n")
                == .notANumber(file: "my_reward.py", type: "list", value: "[1.0]"))
    }

    @Test func notFinite() {
        let nan = Self.error("def reward_function(params):\n    return float('nan')\n")
        guard case .notFinite(_, let value) = nan else {
            Issue.record("expected not finite, got \(String(describing: nan))")
            return
        }
        #expect(value.isNaN)
        #expect(
            Self.error("def reward_function(params):\n    return float('inf')\n")
                == .notFinite(file: "my_reward.py", value: .infinity))
    }

    @Test func outOfRange() {
        #expect(
            Self.error("def reward_function(params):\n    return 1e6\n")
                == .outOfRange(file: "my_reward.py", value: 1e6))
        #expect(Self.error("def reward_function(params):\n    return -100000.0\n") == nil)
    }

    @Test func endlessLoopIsStopped() {
        let start = ContinuousClock.now
        let error = Self.error("def reward_function(params):\n    while True:\n        pass\n", timeLimit: 0.2)
        let elapsed = ContinuousClock.now - start
        guard case .timeout(_, let seconds, let line) = error else {
            Issue.record("expected a timeout, got \(String(describing: error))")
            return
        }
        #expect(seconds == 0.2)
        #expect(line == 2 || line == 3)
        #expect(elapsed < .seconds(2))
    }

    @Test func endlessLoopWhileLoadingIsStopped() {
        let error = Self.error("while True:\n    pass\n", loadTimeLimit: 0.2)
        guard case .loadTimeout(_, let seconds, let line) = error else {
            Issue.record("expected a load timeout, got \(String(describing: error))")
            return
        }
        #expect(seconds == 0.2)
        #expect(line == 1 || line == 2)
        #expect(error?.description.contains("loading the file") == true)
    }

    /// A slow import (numpy on a busy laptop) is loading, not a call: the 1 s per-call limit does
    /// not stop it.
    @Test func slowLoadingIsNotACall() {
        let source = "import time\ntime.sleep(0.5)\ndef reward_function(params):\n    return 1.0\n"
        #expect(Self.error(source, timeLimit: 0.2) == nil)
    }

    @Test func theFunctionStillWorksAfterAnError() throws {
        let source = """
            calls = [0]
            def reward_function(params):
                calls[0] += 1
                if calls[0] == 1:
                    raise ValueError('first call fails')
                return float(calls[0])
            """
        let function = try RewardFunction(source: source, fileName: "flaky.py")
        #expect(throws: RewardError.self) { try function.reward(for: StraightPoses.params(offset: 0)) }
        #expect(try function.reward(for: StraightPoses.params(offset: 0)) == 2)
    }

    @Test func systemExitDoesNotEndTheProgram() {
        let error = Self.error("import sys\ndef reward_function(params):\n    sys.exit(1)\n")
        guard case .exception(_, _, let type, _, _, _) = error else {
            Issue.record("expected an exception, got \(String(describing: error))")
            return
        }
        #expect(type == "SystemExit")
    }

    @Test func unreadableFile() {
        #expect(throws: RewardError.unreadable(path: "/nowhere/reward.py", reason: "no such file")) {
            try RewardFunction(contentsOf: URL(fileURLWithPath: "/nowhere/reward.py"))
        }
    }
}
