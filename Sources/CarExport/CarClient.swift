import CCurl
import Foundation

/// What went wrong talking to the car, in words for the racer.
public enum CarClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreachable(host: String, reason: String)
    case wrongPassword(host: String)
    case unexpected(step: String, status: Int, body: String)
    case notInstalled(model: String)
    case loadFailed(model: String, detail: String)
    case loadTimedOut(model: String, seconds: Int)

    public var description: String {
        switch self {
        case .unreachable(let host, let reason):
            "Cannot reach the car at \(host) (\(reason)). Check that it is switched on, that this computer is on the same Wi-Fi network, and the IP address (the car's screen or your router shows it)."
        case .wrongPassword(let host):
            "The car at \(host) refused the password. It is printed on the sticker under the car; if you changed it, use the new one."
        case .unexpected(let step, let status, let body):
            "The car answered \(step) with HTTP \(status): \(body.prefix(200)). Is its software up to date?"
        case .notInstalled(let model):
            "The upload finished but the car does not list \(model). Try again; if it keeps failing, check the archive with 'paddock car check'."
        case .loadFailed(let model, let detail):
            "The car could not load \(model) (\(detail)). Check the archive with 'paddock car check', and that the model's sensors match the car's (a camera model for a car without LIDAR)."
        case .loadTimedOut(let model, let seconds):
            "The car was still loading \(model) after \(seconds) s. Look at the car's device console in a browser."
        }
    }
}

/// The car's device console API (docs/deepracer-compat.md §9), over HTTPS with the car's self-signed
/// certificate. The certificate is accepted without a CA only because this client talks to the
/// one host the racer named.
public final class CarClient {
    public let host: String
    private let base: String
    private let handle: UnsafeMutableRawPointer
    private var csrfToken = ""
    /// How long to wait for the car to load a model.
    public var loadTimeout: Double = 120
    /// Seconds between load-status polls.
    public var pollInterval: Double = 1

    /// - Parameter host: an IP address or name, optionally with a port; `https://` is assumed.
    public init(host: String) throws(CarClientError) {
        self.host = host
        base = host.hasPrefix("http://") || host.hasPrefix("https://") ? host : "https://\(host)"
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        guard let handle = curl_easy_init() else { throw .unreachable(host: host, reason: "libcurl did not start") }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    struct Response {
        var status: Int
        var body: String
    }

    private final class Sink {
        var data = Data()
    }

    private func request(
        _ method: String, _ path: String, json: String? = nil, form: String? = nil, file: URL? = nil,
        step: String
    ) throws(CarClientError) -> Response {
        // Reset keeps the cookie engine and connections (the session), clears the options.
        curl_easy_reset(handle)
        paddock_curl_set_string(handle, PADDOCK_CURLOPT_URL, base + path)
        paddock_curl_set_string(handle, PADDOCK_CURLOPT_COOKIEFILE, "")
        paddock_curl_set_long(handle, PADDOCK_CURLOPT_SSL_VERIFYPEER, 0)
        paddock_curl_set_long(handle, PADDOCK_CURLOPT_SSL_VERIFYHOST, 0)
        paddock_curl_set_string(handle, PADDOCK_CURLOPT_PROXY, "")
        paddock_curl_set_long(handle, PADDOCK_CURLOPT_CONNECTTIMEOUT, 10)
        paddock_curl_set_long(handle, PADDOCK_CURLOPT_TIMEOUT, file == nil ? 30 : 600)
        paddock_curl_set_long(handle, PADDOCK_CURLOPT_NOSIGNAL, 1)
        var headers: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headers) }
        headers = curl_slist_append(headers, "X-CSRFToken: \(csrfToken)")
        headers = curl_slist_append(headers, "Accept: application/json, text/html")
        var mime: OpaquePointer?
        defer { curl_mime_free(mime) }
        if let json {
            headers = curl_slist_append(headers, "Content-Type: application/json")
            paddock_curl_set_string(handle, PADDOCK_CURLOPT_POSTFIELDS, json)
        } else if let form {
            paddock_curl_set_string(handle, PADDOCK_CURLOPT_POSTFIELDS, form)
        } else if let file {
            mime = curl_mime_init(handle)
            let part = curl_mime_addpart(mime)
            curl_mime_name(part, "file")
            curl_mime_filedata(part, file.path)
            curl_mime_filename(part, file.lastPathComponent)
            curl_mime_type(part, "application/gzip")
            paddock_curl_set_pointer(handle, PADDOCK_CURLOPT_MIMEPOST, UnsafeMutableRawPointer(mime))
        }
        if method == "GET" {
            paddock_curl_set_long(handle, PADDOCK_CURLOPT_HTTPGET, 1)
        } else {
            paddock_curl_set_string(handle, PADDOCK_CURLOPT_CUSTOMREQUEST, method)
        }
        paddock_curl_set_pointer(handle, PADDOCK_CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headers))
        let sink = Sink()
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        paddock_curl_set_pointer(handle, PADDOCK_CURLOPT_WRITEDATA, context.toOpaque())
        paddock_curl_set_write_function(handle) { data, size, count, context in
            guard let data, let context else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            sink.data.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
            return size * count
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            throw .unreachable(host: host, reason: String(cString: curl_easy_strerror(code)))
        }
        return Response(status: paddock_curl_response_code(handle), body: String(decoding: sink.data, as: UTF8.self))
    }

    /// Logs in: fetches the page's CSRF token, then posts the password.
    public func login(password: String) throws(CarClientError) {
        let page = try request("GET", "/", step: "the login page")
        guard page.status == 200, let token = Self.csrfToken(in: page.body) else {
            throw .unexpected(step: "the login page", status: page.status, body: page.body)
        }
        csrfToken = token
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        let answer = try request("POST", "/login", form: "password=\(encoded)", step: "login")
        if answer.body.trimmingCharacters(in: .whitespacesAndNewlines) == "failure" || answer.status == 401
            || answer.status == 403
        {
            throw .wrongPassword(host: host)
        }
        guard answer.status == 200 else { throw .unexpected(step: "login", status: answer.status, body: answer.body) }
    }

    static func csrfToken(in page: String) -> String? {
        guard let meta = page.range(of: #"<meta[^>]*name="csrf-token"[^>]*>"#, options: .regularExpression) else {
            return nil
        }
        let tag = String(page[meta])
        guard let content = tag.range(of: #"content="([^"]*)""#, options: .regularExpression) else { return nil }
        return String(tag[content].dropFirst("content=\"".count).dropLast())
    }

    /// Uploads a `.tar.gz` and confirms the car lists it (an upload's "success" alone does not
    /// prove the install). Returns the model's name on the car.
    @discardableResult
    public func upload(archive: URL) throws(CarClientError) -> String {
        let answer = try request("PUT", "/api/uploadModels", file: archive, step: "the upload")
        guard answer.status == 200 else {
            throw .unexpected(step: "the upload", status: answer.status, body: answer.body)
        }
        let name = String(archive.lastPathComponent.dropLast(archive.lastPathComponent.hasSuffix(".tar.gz") ? 7 : 0))
        guard try installedModels().contains(name) else { throw .notInstalled(model: name) }
        return name
    }

    /// The names of the models installed on the car.
    public func installedModels() throws(CarClientError) -> [String] {
        let answer = try request("GET", "/api/models", step: "the model list")
        guard answer.status == 200 else {
            throw .unexpected(step: "the model list", status: answer.status, body: answer.body)
        }
        return Self.modelNames(in: answer.body)
    }

    /// Model names from the list's JSON: every string that names a model folder.
    static func modelNames(in body: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) else { return [] }
        var names: [String] = []
        func walk(_ value: Any) {
            if let list = value as? [Any] {
                list.forEach(walk)
            } else if let dictionary = value as? [String: Any] {
                for (key, entry) in dictionary {
                    if let text = entry as? String, key.contains("name") || key.contains("folder") {
                        names.append(text)
                    } else {
                        walk(entry)
                    }
                }
            } else if let text = value as? String {
                names.append(text)
            }
        }
        walk(object)
        return names
    }

    /// Switches to autonomous mode, loads `model`, and waits until it is loaded or fails.
    public func load(model: String) throws(CarClientError) {
        let mode = try request("PUT", "/api/drive_mode", json: #"{"drive_mode": "auto"}"#, step: "autonomous mode")
        guard mode.status == 200 else {
            throw .unexpected(step: "autonomous mode", status: mode.status, body: mode.body)
        }
        let path = model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? model
        let load = try request("PUT", "/api/models/\(path)/model", json: "{}", step: "loading the model")
        guard load.status == 200 else {
            throw .loadFailed(model: model, detail: "HTTP \(load.status): \(load.body.prefix(200))")
        }
        let start = Date()
        while Date().timeIntervalSince(start) < loadTimeout {
            let status = try request("GET", "/api/isModelLoading", step: "the load status")
            let text = status.body.lowercased()
            if text.contains("error") || text.contains("fail") {
                throw .loadFailed(model: model, detail: status.body.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if text.contains("loaded") { return }
            Thread.sleep(forTimeInterval: pollInterval)
        }
        throw .loadTimedOut(model: model, seconds: Int(loadTimeout))
    }

    /// Sets the maximum throttle, 0...100 percent.
    public func setThrottle(_ percent: Int) throws(CarClientError) {
        let answer = try request(
            "PUT", "/api/max_nav_throttle", json: #"{"throttle": \#(min(max(percent, 0), 100))}"#, step: "the throttle")
        guard answer.status == 200 else {
            throw .unexpected(step: "the throttle", status: answer.status, body: answer.body)
        }
    }
}
