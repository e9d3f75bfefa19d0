import Foundation
import PaddockTestSupport
import Testing

@testable import Simulator

/// The track designs in `tracks/designs.json`, the generated `.npy` files and `index.json` beside
/// them, and the generator's checks.
///
/// To regenerate the committed files after changing a design or the generator, run
/// `paddock tracks build` (or `PADDOCK_UPDATE_TRACKS=1 swift test --filter TrackDesign`).
@Suite struct TrackDesignTests {
    static let tracksDirectory = RepositoryPaths.root.appendingPathComponent("tracks")

    static func committedDesigns() throws -> [TrackDesign] {
        let data = try Data(contentsOf: tracksDirectory.appendingPathComponent("designs.json"))
        return try JSONDecoder().decode([TrackDesign].self, from: data)
    }

    /// A loop design for the checks' tests, 0.76 m wide unless told.
    static func loop(_ points: [(Double, Double)], width: Double = 0.76, id: String = "test_loop") -> TrackDesign {
        TrackDesign(
            id: id, displayName: "Test", difficulty: .beginner, description: "A test.", width: width, isLoop: true,
            controlPoints: points.map { Vector2($0.0, $0.1) })
    }

    static func message(of design: TrackDesign) -> String? {
        do {
            _ = try design.makeTrack()
            return nil
        } catch {
            guard case .invalidDesign = error.problem else { return "not an invalid design: \(error)" }
            return error.description
        }
    }

    // MARK: The committed designs and files

    @Test func committedFilesMatchTheDesigns() throws {
        let designs = try Self.committedDesigns()
        let (manifest, tracks) = try TrackManifest.build(from: designs, source: "tracks/designs.json")
        let indexURL = Self.tracksDirectory.appendingPathComponent("index.json")
        if ProcessInfo.processInfo.environment["PADDOCK_UPDATE_TRACKS"] == "1" {
            for (design, track) in zip(designs, tracks) {
                let url = Self.tracksDirectory.appendingPathComponent(design.fileName)
                try Data(track.numpyArray.encoded()).write(to: url, options: .atomic)
            }
            try Data(manifest.jsonText().utf8).write(to: indexURL, options: .atomic)
        }
        for (design, track) in zip(designs, tracks) {
            let url = Self.tracksDirectory.appendingPathComponent(design.fileName)
            let committed = try [UInt8](Data(contentsOf: url))
            #expect(committed == track.numpyArray.encoded(), "\(design.fileName) differs from its design")
        }
        let committedIndex = try String(contentsOf: indexURL, encoding: .utf8)
        #expect(committedIndex == manifest.jsonText())
        #expect(try JSONDecoder().decode(TrackManifest.self, from: Data(committedIndex.utf8)) == manifest)
    }

    @Test func theFiveDesignsAreThere() throws {
        let designs = try Self.committedDesigns()
        #expect(
            designs.map(\.id) == ["beginner_loop", "s_bend_loop", "technical_circuit", "wide_loop", "short_straight"])
        for design in designs {
            #expect(!design.displayName.isEmpty && !design.description.isEmpty, "\(design.id)")
            #expect(!design.description.contains("\n"), "\(design.id)")
        }
    }

    /// id, centre-line length range (m), width (m), loop, difficulty.
    static let expectations: [(String, ClosedRange<Double>, Double, Bool, TrackDesign.Difficulty)] = [
        ("beginner_loop", 16...20, 1.07, true, .beginner),
        ("s_bend_loop", 20...28, 0.9, true, .intermediate),
        ("technical_circuit", 25...35, 0.76, true, .advanced),
        ("wide_loop", 20...30, 1.07, true, .intermediate),
        ("short_straight", 6...8, 1.07, false, .beginner),
    ]

    @Test(arguments: expectations)
    func lengthsAndWidthsAreInRange(
        id: String, length: ClosedRange<Double>, width: Double, isLoop: Bool, difficulty: TrackDesign.Difficulty
    ) throws {
        let design = try #require(try Self.committedDesigns().first { $0.id == id })
        let track = try design.makeTrack()
        #expect(length.contains(track.length), "\(id): \(track.length) m")
        #expect(track.widths.allSatisfy { abs($0 - width) < 1e-9 }, "\(id)")
        #expect(track.isLoop == isLoop && design.isLoop == isLoop)
        #expect(design.difficulty == difficulty)
        // Roughly a room: the borders fit in 11 x 8 m, at positive coordinates like DeepRacer's.
        let bounds = track.bounds
        #expect(bounds.minimum.x > 0 && bounds.minimum.y > 0, "\(id)")
        #expect(bounds.maximum.x - bounds.minimum.x < 11 && bounds.maximum.y - bounds.minimum.y < 8, "\(id)")
        // Waypoints about 0.15 m apart, evenly.
        for i in 1..<track.waypoints.count {
            let step = track.waypoints[i].distance(to: track.waypoints[i - 1])
            #expect(abs(step - 0.15) < 0.01, "\(id): step \(i) is \(step) m")
        }
        // Paddock's own tracks keep well clear of the generator's limits.
        let measured = try design.measure()
        #expect(measured.minimumRadius >= width / 2 + 0.2, "\(id): \(measured.minimumRadius) m")
        #expect((measured.minimumClearance ?? .infinity) >= 0.5, "\(id)")
    }

    @Test func everyDesignRoundTripsThroughNumpy() throws {
        for design in try Self.committedDesigns() {
            let track = try design.makeTrack()
            let bytes = track.numpyArray.encoded()
            let loaded = try Track(npyBytes: bytes, id: design.id, source: design.fileName)
            #expect(loaded.waypoints == track.waypoints, "\(design.id)")
            #expect(loaded.innerBorder == track.innerBorder && loaded.outerBorder == track.outerBorder)
            #expect(loaded.numpyArray.encoded() == bytes)
            #expect(loaded.isCounterClockwise, "\(design.id)")
        }
    }

    @Test func generationIsDeterministic() throws {
        for design in try Self.committedDesigns() {
            #expect(try design.makeTrack().numpyArray.encoded() == design.makeTrack().numpyArray.encoded())
        }
    }

    // MARK: Generator geometry

    @Test func loopsCloseOnTheFirstWaypointAndStartAtTheFirstControlPoint() throws {
        let design = Self.loop([(0, 0), (4, 0), (4, 3), (0, 3)])
        let track = try design.makeTrack()
        #expect(track.isLoop)
        #expect(track.waypoints.first == Vector2(0, 0) && track.waypoints.last == Vector2(0, 0))
        #expect(track.innerBorder.first == track.innerBorder.last)
        // Inner is the left side of a counter-clockwise loop: inside the loop.
        #expect(track.innerBorder[0].y > 0 && track.outerBorder[0].y < 0)
    }

    @Test func anOpenTrackRunsFromFirstToLastControlPoint() throws {
        let design = TrackDesign(
            id: "straight", displayName: "S", difficulty: .beginner, description: "d", width: 1.0, isLoop: false,
            controlPoints: [Vector2(1, 2), Vector2(8, 2)])
        let track = try design.makeTrack()
        #expect(!track.isLoop)
        #expect(track.waypoints.first == Vector2(1, 2) && track.waypoints.last == Vector2(8, 2))
        #expect(abs(track.length - 7) < 1e-9)
        #expect(track.waypoints.count == 48)  // 7 m / 0.15 m = 46.7, so 47 steps of 0.1489 m
        #expect(track.innerBorder.allSatisfy { abs($0.y - 2.5) < 1e-12 })
        #expect(track.outerBorder.allSatisfy { abs($0.y - 1.5) < 1e-12 })
        let measured = try design.measure()
        #expect(measured.minimumRadius == .infinity && measured.minimumClearance == nil)
    }

    @Test func aCircleOfControlPointsGivesACircle() throws {
        let radius = 3.0
        let points = (0..<16).map { k -> (Double, Double) in
            let angle = Double(k) / 16 * 2 * Double.pi
            return (radius * cos(angle), radius * sin(angle))
        }
        let track = try Self.loop(points).makeTrack()
        #expect(abs(track.length - 2 * Double.pi * radius) < 0.01)
        for (i, p) in track.waypoints.enumerated() {
            #expect(abs(p.length - radius) < 0.002, "waypoint \(i)")
            #expect(abs(track.innerBorder[i].length - (radius - 0.38)) < 0.003)
        }
    }

    @Test func circumradiusMatchesACircle() {
        let r = TrackDesign.circumradius(Vector2(2, 0), Vector2(0, 2), Vector2(-2, 0))
        #expect(abs(r - 2) < 1e-12)
        #expect(TrackDesign.circumradius(Vector2(0, 0), Vector2(1, 0), Vector2(2, 0)) == .infinity)
    }

    @Test func metresFormatting() {
        #expect(TrackDesign.metres(0.745) == "0.75" || TrackDesign.metres(0.745) == "0.74")
        #expect(TrackDesign.metres(12.3) == "12.30")
        #expect(TrackDesign.metres(-0.05) == "-0.05")
        #expect(TrackDesign.metres(3) == "3.00")
    }

    // MARK: The generator's checks

    @Test func aTooTightCornerIsRejected() throws {
        let design = Self.loop([(1, 1), (5, 1), (6, 1.2), (5, 1.6), (1.5, 3.5), (0.5, 2.5)], width: 1.07)
        let message = try #require(Self.message(of: design))
        #expect(message.hasPrefix("test_loop: the corner near control point 2 at (x 6."), "\(message)")
        #expect(message.contains("turns with a radius of"), "\(message)")
        #expect(message.contains("needs at least 0.69 m"), "\(message)")
    }

    @Test func aFigureEightIsRejected() throws {
        let design = Self.loop([(4.5, 3), (6, 1.5), (8, 3), (6, 4.5), (3.5, 3), (2, 1.5), (0, 3), (2, 4.5)])
        let message = try #require(Self.message(of: design))
        #expect(message.contains("the centre line crosses itself at (x 4."), "\(message)")
        #expect(message.contains("no figure-eights"), "\(message)")
    }

    @Test func roadsThatComeTooCloseAreRejected() throws {
        func waist(_ top: Double) -> TrackDesign {
            Self.loop([
                (1, 1), (2.5, 1), (5, 1.5), (7.5, 1), (9, 1), (10, 2.5), (9, 4), (7.5, 4), (5, top), (2.5, 4), (1, 4),
                (0, 2.5),
            ])
        }
        let message = try #require(Self.message(of: waist(2.4)))
        #expect(message.contains("two parts of the road come too close"), "\(message)")
        #expect(message.contains("keep at least 0.25 m"), "\(message)")
        let open = try waist(2.8).measure()
        #expect(try #require(open.minimumClearance) > 0.25)
    }

    @Test func clockwiseLoopsAreRejected() throws {
        let design = Self.loop([(0, 0), (0, 3), (4, 3), (4, 0)])
        let message = try #require(Self.message(of: design))
        #expect(message.contains("run clockwise"), "\(message)")
    }

    @Test(arguments: [
        (0.4, "a road must be 0.60 to 1.20 m wide"),
        (2.0, "a road must be 0.60 to 1.20 m wide"),
        (.nan, "a road must be"),
    ])
    func widthsOutOfRangeAreRejected(width: Double, expected: String) throws {
        let message = try #require(Self.message(of: Self.loop([(0, 0), (4, 0), (4, 3), (0, 3)], width: width)))
        #expect(message.contains(expected), "\(message)")
    }

    @Test func lengthsOutOfRangeAreRejected() throws {
        let small = try #require(Self.message(of: Self.loop([(0, 0), (0.5, 0), (0.5, 0.4)])))
        #expect(small.contains("a track must be 3.00 to 80.00 m long"), "\(small)")
        let huge = try #require(Self.message(of: Self.loop([(0, 0), (40, 0), (40, 30), (0, 30)])))
        #expect(huge.contains("closer together"), "\(huge)")
    }

    @Test(arguments: [
        ("Beginner Loop", "is not snake_case"), ("", "is not snake_case"), ("9_lives", "is not snake_case"),
        ("loop-2", "is not snake_case"),
    ])
    func badIDsAreRejected(id: String, expected: String) throws {
        let message = try #require(Self.message(of: Self.loop([(0, 0), (4, 0), (4, 3), (0, 3)], id: id)))
        #expect(message.contains(expected), "\(message)")
    }

    @Test func repeatedControlPointsAreRejected() throws {
        let closed = try #require(Self.message(of: Self.loop([(0, 0), (4, 0), (4, 3), (0, 3), (0, 0)])))
        #expect(closed.contains("the last control point repeats the first"), "\(closed)")
        let doubled = try #require(Self.message(of: Self.loop([(0, 0), (4, 0), (4, 0.01), (4, 3), (0, 3)])))
        #expect(doubled.contains("control points 1 and 2 are only 0.01 m apart"), "\(doubled)")
        let few = try #require(Self.message(of: Self.loop([(0, 0), (4, 0)])))
        #expect(few.contains("needs at least 3"), "\(few)")
    }

    @Test func duplicateIDsAreRejected() throws {
        let design = Self.loop([(0, 0), (4, 0), (4, 3), (0, 3)])
        #expect(throws: TrackError.self) { try TrackManifest.build(from: [design, design]) }
    }

    // MARK: JSON

    @Test func designsDecodeFromPairsWithADefaultSpacing() throws {
        let json = """
            [{"id": "tiny", "displayName": "Tiny", "difficulty": "advanced", "description": "d", "width": 0.76,
              "isLoop": true, "controlPoints": [[0, 0], [4, 0], [4, 3], [0, 3]]}]
            """
        let design = try #require(try JSONDecoder().decode([TrackDesign].self, from: Data(json.utf8)).first)
        #expect(design.waypointSpacing == 0.15 && design.difficulty == .advanced)
        #expect(design.controlPoints == [Vector2(0, 0), Vector2(4, 0), Vector2(4, 3), Vector2(0, 3)])
        let again = try JSONDecoder().decode(TrackDesign.self, from: JSONEncoder().encode(design))
        #expect(again == design)
        let bad = json.replacingOccurrences(of: "[4, 3]", with: "[4, 3, 1]")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TrackDesign].self, from: Data(bad.utf8)) }
    }

    @Test func manifestEntriesRoundAndNameTheFile() throws {
        let design = Self.loop([(0, 0), (4, 0), (4, 3), (0, 3)], id: "box")
        let track = try design.makeTrack()
        let entry = design.manifestEntry(for: track)
        #expect(entry.file == "box.npy" && entry.width == 0.76 && entry.isLoop)
        #expect(entry.length == (track.length * 100).rounded() / 100)
        let manifest = TrackManifest(tracks: [entry])
        let text = manifest.jsonText()
        #expect(text.hasPrefix("{\n  \"tracks\": [\n    {\n      \"id\": \"box\",\n      \"displayName\": \"Test\","))
        #expect(try JSONDecoder().decode(TrackManifest.self, from: Data(text.utf8)) == manifest)
    }
}
