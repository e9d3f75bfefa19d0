extension Track {
    /// Reads a DeepRacer track from the bytes of its `.npy` file.
    ///
    /// - Parameters:
    ///   - id: the track's name, usually the file name without `.npy`.
    ///   - source: the file path, for error messages.
    public init(npyBytes bytes: [UInt8], id: String, source: String) throws(TrackError) {
        let array: NumpyArray
        do {
            array = try NumpyArray(bytes: bytes, source: source)
        } catch {
            throw TrackError(source: source, problem: .file(error))
        }
        try self.init(numpy: array, id: id, source: source)
    }

    /// Reads a DeepRacer track from an N x 6 float64 array.
    public init(numpy array: NumpyArray, id: String, source: String) throws(TrackError) {
        guard array.elementType == .float64 else {
            throw TrackError(source: source, problem: .wrongType(array.elementType.description))
        }
        guard array.shape.count == 2, array.shape[1] == 6 else {
            throw TrackError(source: source, problem: .wrongShape(array.shape))
        }
        let rows = array.shape[0]
        var centre: [Vector2] = []
        var inner: [Vector2] = []
        var outer: [Vector2] = []
        centre.reserveCapacity(rows)
        inner.reserveCapacity(rows)
        outer.reserveCapacity(rows)
        for row in 0..<rows {
            let v = array.values
            for column in 0..<6 where !v[row * 6 + column].isFinite {
                throw TrackError(source: source, problem: .notFinite(row: row, column: column))
            }
            centre.append(Vector2(v[row * 6], v[row * 6 + 1]))
            inner.append(Vector2(v[row * 6 + 2], v[row * 6 + 3]))
            outer.append(Vector2(v[row * 6 + 4], v[row * 6 + 5]))
        }
        try self.init(id: id, waypoints: centre, innerBorder: inner, outerBorder: outer, source: source)
    }

    /// The track as a DeepRacer N x 6 float64 array, in the file's waypoint order.
    public var numpyArray: NumpyArray {
        let forward = isReversed ? reversed() : self
        var values: [Double] = []
        values.reserveCapacity(forward.waypoints.count * 6)
        for i in forward.waypoints.indices {
            let c = forward.waypoints[i]
            let a = forward.innerBorder[i]
            let b = forward.outerBorder[i]
            values += [c.x, c.y, a.x, a.y, b.x, b.y]
        }
        return NumpyArray(elementType: .float64, shape: [forward.waypoints.count, 6], values: values)
    }
}

extension NumpyArray.ElementType: CustomStringConvertible {
    public var description: String {
        switch self {
        case .float64: "float64"
        case .float32: "float32"
        case .uint8: "uint8"
        case .int64: "int64"
        case .int32: "int32"
        }
    }
}
