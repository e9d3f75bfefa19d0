/// Even-odd point-in-polygon tests over one or more closed rings, sped up by horizontal bands.
///
/// A point is inside when a ray from it towards +x crosses the rings' edges an odd number of
/// times, as in shapely's `Polygon(shell, holes).contains` for well-formed rings. Each band
/// keeps only the edges whose y-range overlaps it, so a test looks at a handful of edges.
struct PolygonIndex: Sendable {
    struct Edge: Sendable {
        var a: Vector2
        var b: Vector2
    }

    let minimumY: Double
    let bandHeight: Double
    let bands: [[Edge]]
    /// Every edge once, for scan-line filling.
    let edges: [Edge]

    init(rings: [[Vector2]], bandCount: Int = 128) {
        var edges: [Edge] = []
        var lo = Double.infinity
        var hi = -Double.infinity
        for ring in rings where ring.count >= 2 {
            for i in ring.indices {
                let a = ring[i]
                let b = ring[(i + 1) % ring.count]
                if a == b { continue }
                edges.append(Edge(a: a, b: b))
                lo = min(lo, a.y)
                hi = max(hi, a.y)
            }
        }
        self.edges = edges
        if edges.isEmpty {
            minimumY = 0
            bandHeight = 1
            bands = [[]]
            return
        }
        minimumY = lo
        bandHeight = max((hi - lo) / Double(bandCount), 1e-9)
        var bands = [[Edge]](repeating: [], count: bandCount)
        for edge in edges {
            let first = Int(((min(edge.a.y, edge.b.y) - lo) / bandHeight).rounded(.down))
            let last = Int(((max(edge.a.y, edge.b.y) - lo) / bandHeight).rounded(.down))
            for band in min(max(first, 0), bandCount - 1)...min(max(last, 0), bandCount - 1) {
                bands[band].append(edge)
            }
        }
        self.bands = bands
    }

    /// Whether `p` is inside (even-odd rule). Points exactly on an edge may go either way.
    func contains(_ p: Vector2) -> Bool {
        let bandValue = (p.y - minimumY) / bandHeight
        guard bandValue >= 0, bandValue < Double(bands.count) else { return false }
        var inside = false
        for edge in bands[Int(bandValue)] {
            let a = edge.a
            let b = edge.b
            if (a.y > p.y) != (b.y > p.y) {
                let xCross = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x)
                if p.x < xCross { inside.toggle() }
            }
        }
        return inside
    }
}
