import Foundation

/// Writes files so that a reader never sees half a file: the bytes go to a temporary file in the
/// same folder, which then replaces the target in one rename.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to url: URL) throws(AssetsError) {
        try write(Data(bytes), to: url)
    }

    public static func write(_ text: String, to url: URL) throws(AssetsError) {
        try write(Data(text.utf8), to: url)
    }

    public static func write(_ data: Data, to url: URL) throws(AssetsError) {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw AssetsError.unwritable(path: url.path, reason: reason)
            }
        } catch let error as AssetsError {
            throw error
        } catch {
            throw AssetsError.unwritable(path: url.path, reason: error.localizedDescription)
        }
    }
}
