/// A track described by a few control points, from which Paddock generates a DeepRacer track file.
///
/// The generator (``makeTrack(source:)``) fits a smooth centripetal Catmull-Rom spline through
/// the control points, resamples it every ``waypointSpacing`` metres along its length, and puts
/// the inner and outer borders ``width`` / 2 metres either side of it. It then checks that the
/// result can be driven: no corner tighter than the road allows, no crossing, enough room
/// between distant parts of the road, a sensible length. The same design always gives the same
/// track, to the bit: the generator uses only `+ - * /` and square roots (no `sin`, `cos` or
/// `pow`), which IEEE 754 rounds the same way on every platform.
///
/// In `tracks/designs.json` a design is a JSON object:
///
/// ```json
/// {
///   "id": "beginner_loop",
///   "displayName": "Paddock Bean",
///   "difficulty": "beginner",
///   "description": "A wide, gentle loop ...",
///   "width": 1.07,
///   "isLoop": true,
///   "waypointSpacing": 0.15,
///   "controlPoints": [[4.54, 0.94], [5.14, 0.94], ...]
/// }
/// ```
///
/// `waypointSpacing` may be left out (0.15 m, as in DeepRacer's track files).
public struct TrackDesign: Codable, Sendable, Equatable {
    /// How hard a track is to drive, for sorting tracks in lessons and the track list.
    public enum Difficulty: String, Codable, Sendable, CaseIterable {
        /// Wide roads and gentle corners: a first model learns to go round.
        case beginner
        /// Narrower roads, S-bends or mixed corners.
        case intermediate
        /// Racing width with hairpins and chicanes.
        case advanced
    }

    /// The track's id: snake_case letters, digits and underscores, starting with a letter. It
    /// names the generated file (`<id>.npy`).
    public var id: String
    /// The name shown to learners, e.g. "Paddock Bean".
    public var displayName: String
    public var difficulty: Difficulty
    /// One line telling a learner what the track teaches.
    public var description: String
    /// Distance between the inner and outer borders, in metres (DeepRacer uses 0.76 and 1.07).
    public var width: Double
    /// Whether the track is a closed loop (the spline closes from the last control point back to
    /// the first) or an open road from the first control point to the last.
    public var isLoop: Bool
    /// Points the centre line passes through, in driving order, in metres. A loop must run
    /// counter-clockwise seen from above and lists each point once (do not repeat the first at
    /// the end). The first control point is where the car starts (waypoint 0).
    public var controlPoints: [Vector2]
    /// Target distance between consecutive waypoints along the centre line, in metres. The
    /// generator uses the nearest spacing that divides the length into equal steps.
    public var waypointSpacing: Double

    /// The waypoint spacing of DeepRacer's own track files, in metres.
    public static let defaultWaypointSpacing = 0.15
    /// Road widths the generator accepts, in metres (DeepRacer's tracks are 0.61 to 1.07 m wide).
    public static let widthRange: ClosedRange<Double> = 0.6...1.2
    /// Centre-line lengths the generator accepts, in metres.
    public static let lengthRange: ClosedRange<Double> = 3...80
    /// Waypoint spacings the generator accepts, in metres.
    public static let waypointSpacingRange: ClosedRange<Double> = 0.05...0.5
    /// The tightest radius the inner border may turn with, in metres: the centre line's radius
    /// of curvature must be at least half the width plus this much, so the inner border never
    /// folds and the car (turning circle about 0.3 m) can follow it.
    public static let minimumInnerRadius = 0.15
    /// The least gap between the road edges of two distant parts of the track, in metres (for
    /// example the two straights either side of a hairpin).
    public static let minimumClearance = 0.25
    /// The least distance between consecutive control points, in metres.
    public static let minimumControlPointSpacing = 0.05

    public init(
        id: String, displayName: String, difficulty: Difficulty, description: String, width: Double,
        isLoop: Bool, controlPoints: [Vector2], waypointSpacing: Double = TrackDesign.defaultWaypointSpacing
    ) {
        self.id = id
        self.displayName = displayName
        self.difficulty = difficulty
        self.description = description
        self.width = width
        self.isLoop = isLoop
        self.controlPoints = controlPoints
        self.waypointSpacing = waypointSpacing
    }

    /// The name of the generated track file: `<id>.npy`.
    public var fileName: String { "\(id).npy" }

    /// What the generator measured on a design's track.
    public struct Measurements: Sendable, Equatable {
        /// Length of the centre line through the waypoints, in metres (the generated track's
        /// `length`).
        public var length: Double
        /// Number of waypoints (rows of the `.npy` file; on a loop the last repeats the first).
        public var waypointCount: Int
        /// The smallest radius of curvature of the centre line, in metres: the radius of the
        /// circle through a waypoint and its two neighbours, the least over all waypoints.
        /// Infinite on a straight.
        public var minimumRadius: Double
        /// How far along the centre line the smallest radius is, in metres (0 on a straight).
        public var minimumRadiusDistance: Double
        /// The smallest gap between the road edges of two distant parts of the track, in metres,
        /// or nil when no two parts of the road face each other (a straight, a convex loop).
        public var minimumClearance: Double?
    }

    /// Generates the track: spline, waypoints, borders, checks.
    ///
    /// - Parameter source: names the design in error messages (default: the design's id), e.g.
    ///   `"tracks/designs.json, track beginner_loop"`.
    /// - Throws: `TrackError` with problem `.invalidDesign` saying what is wrong, where along
    ///   the centre line, and what to change; or the error of `Track`'s validating initialiser.
    public func makeTrack(source: String? = nil) throws(TrackError) -> Track {
        let layout = try makeLayout(source: source ?? id)
        return try Track(
            id: id, waypoints: layout.waypoints, innerBorder: layout.innerBorder, outerBorder: layout.outerBorder,
            source: source ?? id)
    }

    /// Runs the generator and its checks and returns what it measured.
    ///
    /// - Throws: the same errors as ``makeTrack(source:)``.
    public func measure(source: String? = nil) throws(TrackError) -> Measurements {
        let layout = try makeLayout(source: source ?? id)
        var length = 0.0
        for i in 1..<layout.waypoints.count { length += layout.waypoints[i].distance(to: layout.waypoints[i - 1]) }
        return Measurements(
            length: length, waypointCount: layout.waypoints.count, minimumRadius: layout.minimumRadius,
            minimumRadiusDistance: layout.minimumRadiusDistance, minimumClearance: layout.minimumClearance)
    }

    /// The line of `tracks/index.json` describing `track`, the track this design generated.
    ///
    /// Length and width are in metres, rounded to 0.01 m; the width is the track's mean width.
    public func manifestEntry(for track: Track) -> TrackManifestEntry {
        TrackManifestEntry(
            id: id, displayName: displayName, file: fileName, length: Self.roundedToCentimetres(track.length),
            width: Self.roundedToCentimetres(track.averageWidth), difficulty: difficulty, description: description,
            isLoop: track.isLoop)
    }

    static func roundedToCentimetres(_ metres: Double) -> Double {
        (metres * 100).rounded() / 100
    }

    // MARK: Codable, with control points as [x, y] pairs

    enum CodingKeys: String, CodingKey {
        case id, displayName, difficulty, description, width, isLoop, waypointSpacing, controlPoints
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        displayName = try container.decode(String.self, forKey: .displayName)
        difficulty = try container.decode(Difficulty.self, forKey: .difficulty)
        description = try container.decode(String.self, forKey: .description)
        width = try container.decode(Double.self, forKey: .width)
        isLoop = try container.decode(Bool.self, forKey: .isLoop)
        waypointSpacing =
            try container.decodeIfPresent(Double.self, forKey: .waypointSpacing) ?? Self.defaultWaypointSpacing
        let pairs = try container.decode([[Double]].self, forKey: .controlPoints)
        var points: [Vector2] = []
        points.reserveCapacity(pairs.count)
        for (index, pair) in pairs.enumerated() {
            guard pair.count == 2 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .controlPoints, in: container,
                    debugDescription:
                        "control point \(index) of track \(id) has \(pair.count) numbers; write each point as [x, y] in metres."
                )
            }
            points.append(Vector2(pair[0], pair[1]))
        }
        controlPoints = points
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(difficulty, forKey: .difficulty)
        try container.encode(description, forKey: .description)
        try container.encode(width, forKey: .width)
        try container.encode(isLoop, forKey: .isLoop)
        try container.encode(waypointSpacing, forKey: .waypointSpacing)
        try container.encode(controlPoints.map { [$0.x, $0.y] }, forKey: .controlPoints)
    }
}

/// One line of `tracks/index.json`: a generated track and what a learner should know about it.
///
/// Encodes with these keys (the synthesised `Codable`): `id`, `displayName`, `file`, `length`,
/// `width`, `difficulty`, `description`, `isLoop`.
public struct TrackManifestEntry: Codable, Sendable, Equatable {
    public var id: String
    public var displayName: String
    /// The track file's name inside `tracks/`, e.g. `beginner_loop.npy`.
    public var file: String
    /// Centre-line length in metres, rounded to 0.01 m.
    public var length: Double
    /// Mean road width in metres, rounded to 0.01 m.
    public var width: Double
    public var difficulty: TrackDesign.Difficulty
    public var description: String
    public var isLoop: Bool

    public init(
        id: String, displayName: String, file: String, length: Double, width: Double,
        difficulty: TrackDesign.Difficulty, description: String, isLoop: Bool
    ) {
        self.id = id
        self.displayName = displayName
        self.file = file
        self.length = length
        self.width = width
        self.difficulty = difficulty
        self.description = description
        self.isLoop = isLoop
    }

    /// The entry as JSON, keys in the documented order.
    public var jsonValue: JSONValue {
        .object([
            ("id", .string(id)), ("displayName", .string(displayName)), ("file", .string(file)),
            ("length", .double(length)), ("width", .double(width)), ("difficulty", .string(difficulty.rawValue)),
            ("description", .string(description)), ("isLoop", .bool(isLoop)),
        ])
    }
}

/// The contents of `tracks/index.json`: `{"tracks": [entry, ...]}`.
public struct TrackManifest: Codable, Sendable, Equatable {
    public var tracks: [TrackManifestEntry]

    public init(tracks: [TrackManifestEntry]) {
        self.tracks = tracks
    }

    /// Generates every design's track and the manifest listing them, in the designs' order.
    ///
    /// - Parameter source: names the designs file in error messages, e.g. `tracks/designs.json`.
    /// - Throws: `TrackError` for the first design that fails, or when two designs share an id.
    public static func build(
        from designs: [TrackDesign], source: String = "designs"
    ) throws(TrackError) -> (manifest: TrackManifest, tracks: [Track]) {
        var tracks: [Track] = []
        var entries: [TrackManifestEntry] = []
        var seen: Set<String> = []
        for design in designs {
            guard seen.insert(design.id).inserted else {
                throw TrackError(
                    source: source,
                    problem: .invalidDesign(
                        "two designs have the id \"\(design.id)\"; each track needs its own id (it names the file)."))
            }
            let track = try design.makeTrack(source: "\(source), track \(design.id)")
            tracks.append(track)
            entries.append(design.manifestEntry(for: track))
        }
        return (TrackManifest(tracks: entries), tracks)
    }

    /// The text of `index.json`: two-space indents, keys in a fixed order, a final newline.
    ///
    /// The same manifest always gives the same bytes, so the file can be compared in tests.
    public func jsonText() -> String {
        JSONValue.object([("tracks", .array(tracks.map(\.jsonValue)))]).text() + "\n"
    }
}
