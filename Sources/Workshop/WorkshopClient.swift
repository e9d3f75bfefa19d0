import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A student's side of a workshop: join with the code, follow the pacing, report progress,
/// submit a model. Blocking calls; the app makes them off its drawing thread.
public final class WorkshopClient: Sendable {
    public let base: String
    /// What joining gave: the student's token and the workshop's title.
    private let joined = Mutex<(token: String?, title: String)>((nil, ""))

    public var token: String? { joined.withLock { $0.token } }
    public var title: String { joined.withLock { $0.title } }

    /// The instructor's pacing.
    public struct Pacing: Sendable, Equatable {
        public var lesson: Int
        public var step: Int
        public var selfPaced: Bool

        public init(lesson: Int, step: Int, selfPaced: Bool) {
            self.lesson = lesson
            self.step = step
            self.selfPaced = selfPaced
        }
    }

    /// - Parameter address: the host's address as the instructor shows it (`http://` assumed).
    public init(address: String) {
        let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
        base = trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") ? trimmed : "http://\(trimmed)"
    }

    /// Joins; throws `WorkshopError` with the host's message for a wrong code or name.
    public func join(code: String, name: String) throws -> Pacing {
        let reply = try request("POST", "/api/join", ["code": code, "name": name])
        guard let token = reply["token"] as? String else { throw WorkshopError(502, "The host did not give a token.") }
        let title = reply["title"] as? String ?? ""
        joined.withLock { $0 = (token, title) }
        return Pacing(lesson: reply["lesson"] as? Int ?? 1, step: reply["step"] as? Int ?? 1, selfPaced: false)
    }

    public func pacing() throws -> Pacing {
        let reply = try request("GET", "/api/pacing", nil)
        return Pacing(
            lesson: reply["lesson"] as? Int ?? 1, step: reply["step"] as? Int ?? 1,
            selfPaced: reply["self_paced"] as? Bool ?? false)
    }

    public func report(lesson: Int, step: Int, training: String, bestEvaluation: Double?) throws {
        var body: [String: Any] = ["lesson": lesson, "step": step, "training": training]
        if let bestEvaluation { body["best_evaluation"] = bestEvaluation }
        _ = try request("PUT", "/api/progress", body)
    }

    /// Sends a car archive and the reward function's text (for the instructor to read): the
    /// archive as the request body, the reward function base64 in a header (see
    /// `WorkshopServer.submission(_:)`).
    public func submit(archive: Data, rewardFunction: String) throws -> Int {
        guard rewardFunction.utf8.count <= WorkshopServer.maximumRewardBytes else {
            throw WorkshopError(
                413,
                "The reward function is over \(WorkshopServer.maximumRewardBytes / 1024) KB; submit the function alone."
            )
        }
        let reply = try send(
            "POST", "/api/submissions", body: archive, contentType: "application/gzip",
            headers: [WorkshopServer.rewardFunctionHeader: Data(rewardFunction.utf8).base64EncodedString()])
        return reply["submission_id"] as? Int ?? 0
    }

    /// Uses a token already given (the instructor's, or a student's saved one).
    public func setToken(_ token: String) { joined.withLock { $0.token = token } }

    /// The instructor's pacing call (with the instructor's token set).
    public func setPacing(lesson: Int, step: Int, selfPaced: Bool? = nil) throws {
        var body: [String: Any] = ["lesson": lesson, "step": step]
        if let selfPaced { body["self_paced"] = selfPaced }
        _ = try request("PUT", "/api/pacing", body)
    }

    /// Whether the host answers at all (for waiting on a host that is starting).
    public func isUp() -> Bool { (try? request("GET", "/leaderboard.json", nil)) != nil }

    func request(_ method: String, _ path: String, _ body: [String: Any]?) throws -> [String: Any] {
        try send(
            method, path, body: body.map { try JSONSerialization.data(withJSONObject: $0) },
            contentType: "application/json")
    }

    /// Sends `body` (with its content type and any extra headers) and returns the host's JSON reply.
    func send(
        _ method: String, _ path: String, body: Data?, contentType: String, headers: [String: String] = [:]
    ) throws -> [String: Any] {
        guard let url = URL(string: base + path) else {
            throw WorkshopError.badRequest("\(base) is not an address; type it as the instructor shows it.")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let done = DispatchSemaphore(value: 0)
        let answer = Mutex<(status: Int, data: Data, error: (any Error)?)>((0, Data(), nil))
        URLSession.shared.dataTask(with: request) { data, response, error in
            answer.withLock { $0 = ((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data(), error) }
            done.signal()
        }.resume()
        done.wait()
        let box = answer.withLock { $0 }
        if let error = box.error {
            throw WorkshopError(
                0,
                "Cannot reach the workshop host at \(base) (\(error.localizedDescription)). Check the address and that you are on the room's network."
            )
        }
        let object = (try? JSONSerialization.jsonObject(with: box.data) as? [String: Any]) ?? [:]
        guard (200..<300).contains(box.status) else {
            throw WorkshopError(box.status, object["error"] as? String ?? "The host answered \(box.status).")
        }
        return object
    }
}
