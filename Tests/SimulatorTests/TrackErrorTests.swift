import Foundation
import Testing

@testable import Simulator

/// Bad track files get errors that say what is wrong, where, and what to do.
@Suite struct TrackErrorTests {
    static func reinvent() throws -> NumpyArray {
        try NumpyArray(bytes: SharedData.trackBytes("reinvent_base"), source: "reinvent_base.npy")
    }

    static func problem(_ array: NumpyArray) -> TrackError? {
        do {
            _ = try Track(numpy: array, id: "bad", source: "bad.npy")
            return nil
        } catch {
            return error
        }
    }

    @Test func notANumpyFile() {
        #expect(throws: TrackError.self) { try Track(npyBytes: Array("hello".utf8), id: "x", source: "notes.txt") }
        do {
            _ = try Track(npyBytes: Array("hello".utf8), id: "x", source: "notes.txt")
        } catch {
            #expect(error.description.hasPrefix("notes.txt: not a NumPy .npy file"))
        }
    }

    @Test func truncatedFile() throws {
        let bytes = try SharedData.trackBytes("reinvent_base")
        do {
            _ = try Track(npyBytes: Array(bytes.prefix(bytes.count - 10)), id: "x", source: "cut.npy")
            Issue.record("a cut file loaded")
        } catch {
            #expect(error.problem == .file(NumpyError(source: "cut.npy", problem: .truncated)))
            #expect(error.description.contains("cut short"))
        }
    }

    @Test func wrongType() throws {
        var array = try Self.reinvent()
        array.elementType = .float32
        let error = Self.problem(array)
        #expect(error?.problem == .wrongType("float32"))
        #expect(error?.description.contains("astype(numpy.float64)") == true)
    }

    @Test func wrongShape() throws {
        let array = NumpyArray(shape: [4, 4], values: [Double](repeating: 0, count: 16))
        #expect(Self.problem(array)?.problem == .wrongShape([4, 4]))
        #expect(Self.problem(array)?.description.contains("N rows of 6 columns") == true)
    }

    @Test func notFinite() throws {
        var array = try Self.reinvent()
        array.values[17 * 6 + 3] = .nan
        #expect(Self.problem(array)?.problem == .notFinite(row: 17, column: 3))
        #expect(Self.problem(array)?.description.contains("row 17, inner y") == true)
        array.values[17 * 6 + 3] = 1
        array.values[5 * 6] = .infinity
        #expect(Self.problem(array)?.problem == .notFinite(row: 5, column: 0))
    }

    @Test func tooFewPoints() throws {
        let array = try Self.reinvent()
        let three = NumpyArray(shape: [3, 6], values: Array(array.values.prefix(18)))
        #expect(Self.problem(three)?.problem == .tooFewPoints(3))
    }

    @Test func duplicatePointsAreDroppedNotCounted() throws {
        let array = try Self.reinvent()
        // Repeat every row: the track is the same after duplicates are dropped.
        var doubled: [Double] = []
        for row in 0..<array.shape[0] {
            let values = array.values[(row * 6)..<(row * 6 + 6)]
            doubled += values
            doubled += values
        }
        let track = try Track(numpy: NumpyArray(shape: [array.shape[0] * 2, 6], values: doubled), id: "d", source: "d")
        let original = try Track(numpy: array, id: "o", source: "o")
        #expect(track.waypoints == original.waypoints)
        #expect(track.length == original.length)
    }

    @Test func zeroWidth() throws {
        var array = try Self.reinvent()
        array.values[40 * 6 + 2] = array.values[40 * 6 + 4]
        array.values[40 * 6 + 3] = array.values[40 * 6 + 5]
        #expect(Self.problem(array)?.problem == .zeroWidth(row: 40))
    }

    @Test func borderCrossesTheCentreLine() throws {
        var array = try Self.reinvent()
        // Move row 60's inner point half-way towards the outer border, past the centre line.
        let row = 60 * 6
        array.values[row + 2] = array.values[row] + (array.values[row + 4] - array.values[row]) * 0.5
        array.values[row + 3] = array.values[row + 1] + (array.values[row + 5] - array.values[row + 1]) * 0.5
        #expect(Self.problem(array)?.problem == .bordersCrossCentre(row: 60, border: "inner"))
        #expect(Self.problem(array)?.description.contains("at row 60 the inner border crosses the centre line") == true)
    }

    @Test func numpyRoundTripIsExact() throws {
        let bytes = try SharedData.trackBytes("reinvent_base")
        let array = try NumpyArray(bytes: bytes, source: "x")
        let again = try NumpyArray(bytes: array.encoded(), source: "y")
        #expect(again == array)
        let track = try Track(numpy: array, id: "r", source: "r")
        #expect(try Track(numpy: track.numpyArray, id: "r", source: "r").waypoints == track.waypoints)
        #expect(track.reversed().numpyArray == track.numpyArray)
    }

    @Test func numpyFortranOrderAndVersion2AreRead() throws {
        // A 2 x 3 float64 array [[1, 2, 3], [4, 5, 6]] stored column-major in format 2.0.
        var header = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }"
        header += String(repeating: " ", count: (64 - (12 + header.count + 1) % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0]
        let length = UInt32(header.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), 0, 0]
        bytes += Array(header.utf8)
        for value in [1.0, 4, 2, 5, 3, 6] { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        let array = try NumpyArray(bytes: bytes, source: "f")
        #expect(array.shape == [2, 3])
        #expect(array.values == [1, 2, 3, 4, 5, 6])
    }

    /// Files Paddock writes load in NumPy itself (Debian's python3-numpy, installed by the set-up script).
    @Test func numpyReadsWhatPaddockWrites() throws {
        let python = "/usr/bin/python3"
        try #require(FileManager.default.isExecutableFile(atPath: python), "the set-up script installs python3")
        let track = try Track(npyBytes: SharedData.trackBytes("Oval_track"), id: "Oval_track", source: "x")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("paddock-\(UUID().uuidString).npy")
        try Data(track.numpyArray.encoded()).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            "-c",
            "import numpy, sys; a = numpy.load(sys.argv[1]); b = numpy.load(sys.argv[2]); "
                // The original repeats one point; Paddock drops consecutive duplicates.
                + "keep = numpy.r_[True, (numpy.diff(b[:, :2], axis=0) != 0).any(axis=1)]; "
                + "print(a.dtype, a.shape, bool((a == b[keep]).all()))",
            url.path, SharedData.tracksDirectory.appendingPathComponent("Oval_track.npy").path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "float64 (101, 6) True")
    }
}

@Suite struct NumpyHeaderTests {
    /// A header that claims more values than could ever fit is refused, not multiplied out.
    @Test func impossibleShapeIsRefused() {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4611686018427387904), }"
        header += String(repeating: " ", count: (64 - (10 + header.count + 1) % 64) % 64) + "\n"
        let length = header.utf8.count
        let bytes: [UInt8] =
            [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8)
        #expect(throws: NumpyError(source: "huge.npy", problem: .truncated)) {
            try NumpyArray(bytes: bytes, source: "huge.npy")
        }
    }
}
