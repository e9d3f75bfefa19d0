import Foundation

/// Chromium without a window, for tests of the pages the host serves: finds the browser, prints
/// a page's DOM after its scripts ran, and reads elements and table rows out of that DOM.
/// Debian's `chromium-headless-shell` (or `chromium`) comes from `scripts/setup.sh`.
public enum HeadlessBrowser {
    /// Why the browser could not give a page, with what to do.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The browsers tried, in order: Debian 12's small headless build first.
    public static let candidates = ["chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"]

    /// The path of a Chromium on PATH (or /usr/bin), or nil.
    public static func find() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for name in candidates {
            for directory in directories {
                let file = directory + "/" + name
                if FileManager.default.isExecutableFile(atPath: file) { return file }
            }
        }
        return nil
    }

    /// Loads `url`, lets its scripts run for up to `budget` milliseconds of the page's own
    /// (virtual) time, and returns the DOM then. Takes about half a second of real time here.
    public static func dumpDOM(url: String, budget: Int = 5000, timeout: TimeInterval = 60) throws -> String {
        guard let browser = find() else {
            throw Failure(
                description:
                    "No headless Chromium found (tried \(candidates.joined(separator: ", ")) on PATH). Run `bash scripts/setup.sh`, which installs it."
            )
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paddock-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments =
            (browser.hasSuffix("headless-shell") ? [] : ["--headless"]) + [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(profile.path)", "--virtual-time-budget=\(budget)", "--dump-dom", url,
            ]
        // Output to files, not pipes: nothing to drain while waiting, and a browser's helper
        // processes cannot hold the test up by keeping a pipe open.
        let output = profile.appendingPathExtension("html")
        let errors = profile.appendingPathExtension("log")
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let outputHandle = try FileHandle(forWritingTo: output)
        let errorHandle = try FileHandle(forWritingTo: errors)
        defer {
            try? outputHandle.close()
            try? errorHandle.close()
        }
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        let start = ContinuousClock.now
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        let elapsed = ContinuousClock.now - start
        print("HeadlessBrowser: \(URL(fileURLWithPath: browser).lastPathComponent) rendered \(url) in \(elapsed)")
        let dom = (try? Data(contentsOf: output)) ?? Data()
        guard process.terminationStatus == 0, process.terminationReason == .exit, !dom.isEmpty else {
            let log = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw Failure(
                description:
                    "\(browser) failed on \(url) (status \(process.terminationStatus) after \(elapsed); stopped after \(timeout) s if it ran that long): \(log.suffix(2000))"
            )
        }
        return String(decoding: dom, as: UTF8.self)
    }

    /// A rendered page's DOM, with a way to read single elements out of it.
    public struct Page {
        public var dom: String

        public init(dom: String) { self.dom = dom }

        /// The text inside `<title>`.
        public var documentTitle: String? {
            HeadlessBrowser.between("<title>", "</title>", in: dom).map(HeadlessBrowser.unescape)
        }

        /// The element with this id: its opening tag's attributes and its text (tags dropped,
        /// entities decoded). For elements without nested elements of the same tag.
        public func element(id: String) -> (attributes: String, text: String)? {
            guard let marker = dom.range(of: "id=\"\(id)\""),
                let open = dom[..<marker.lowerBound].range(of: "<", options: .backwards),
                let close = dom[marker.upperBound...].range(of: ">")
            else { return nil }
            let tag = dom[open.upperBound...].prefix { $0.isLetter || $0.isNumber }
            guard let end = dom[close.upperBound...].range(of: "</\(tag)>") else { return nil }
            return (
                String(dom[open.lowerBound..<close.upperBound]),
                HeadlessBrowser.text(dom[close.upperBound..<end.lowerBound])
            )
        }
    }

    /// One `<tr>`: its classes and its cells' text.
    public struct Row: Equatable {
        public var classes: [String]
        public var cells: [String]
    }

    /// The rows of the `<tbody id="…">` in `dom`.
    public static func tableRows(body id: String, in dom: String) -> [Row] {
        guard let start = dom.range(of: "<tbody id=\"\(id)\""),
            let end = dom[start.upperBound...].range(of: "</tbody>")
        else { return [] }
        let body = dom[start.upperBound..<end.lowerBound]
        return body.components(separatedBy: "<tr").dropFirst().map { piece in
            let tag = piece.prefix { $0 != ">" }
            let classes =
                between("class=\"", "\"", in: String(tag)).map { $0.split(separator: " ").map(String.init) } ?? []
            let cells = piece.components(separatedBy: "<td").dropFirst().map { cell in
                let content = cell.drop { $0 != ">" }.dropFirst()
                return text(content.components(separatedBy: "</td>").first.map { $0[...] } ?? content)
            }
            return Row(classes: classes, cells: cells)
        }
    }

    /// The leaderboard page's table, one list of cell texts per row, in the page's order.
    public static func leaderboardRows(in dom: String) -> [[String]] {
        tableRows(body: "rows", in: dom).map(\.cells)
    }

    /// Text between the first `start` and the `end` after it.
    public static func between(_ start: String, _ end: String, in text: String) -> String? {
        guard let open = text.range(of: start), let close = text[open.upperBound...].range(of: end) else {
            return nil
        }
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// Markup's text: tags dropped, entities decoded, spaces trimmed.
    public static func text(_ markup: Substring) -> String {
        var plain = ""
        var inTag = false
        for character in markup {
            if character == "<" {
                inTag = true
            } else if character == ">" {
                inTag = false
            } else if !inTag {
                plain.append(character)
            }
        }
        return unescape(plain).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Decodes the entities Chromium writes in text and attributes.
    public static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: "\u{A0}").replacingOccurrences(of: "&amp;", with: "&")
    }
}
