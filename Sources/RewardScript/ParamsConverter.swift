import CPython
import Simulator

/// Builds the Python `params` dict for a step, fresh for every call as DeepRacer does (it passes
/// a deep copy), with the same keys and Python types: floats, bools, ints, a list of (x, y)
/// tuples for the waypoints, lists of [x, y] for objects.
///
/// Keys are interned once. The waypoint tuples are built once per track and shared (tuples
/// cannot change), while the list holding them is new each call, so a reward function that
/// changes its params cannot affect the next call.
final class ParamsConverter {
    private var keys: [UnsafeMutablePointer<PyObject>] = []
    private var cachedWaypoints: [Vector2] = []
    private var waypointList: UnsafeMutablePointer<PyObject>?

    init() {
        keys = RewardParams.keys.map { PyUnicode_InternFromString($0) }
    }

    /// Drops the Python objects it holds. Call once, with the GIL held, before letting it go.
    func release() {
        for key in keys { paddock_DecRef(key) }
        keys = []
        if let waypointList { paddock_DecRef(waypointList) }
        waypointList = nil
    }

    /// A new dict for `params` (a new reference). Call with the GIL held.
    func dictionary(for params: RewardParams) -> UnsafeMutablePointer<PyObject>? {
        guard let dict = PyDict_New() else { return nil }
        var index = 0
        func set(_ value: UnsafeMutablePointer<PyObject>?) {
            if let value {
                PyDict_SetItem(dict, keys[index], value)
                paddock_DecRef(value)
            }
            index += 1
        }
        func bool(_ flag: Bool) -> UnsafeMutablePointer<PyObject>? {
            let object = flag ? paddock_True() : paddock_False()
            if let object { paddock_IncRef(object) }
            return object
        }
        func floats(_ values: [Double]) -> UnsafeMutablePointer<PyObject>? {
            guard let list = PyList_New(values.count) else { return nil }
            for (i, value) in values.enumerated() { paddock_ListSetItem(list, i, PyFloat_FromDouble(value)) }
            return list
        }
        func bools(_ values: [Bool]) -> UnsafeMutablePointer<PyObject>? {
            guard let list = PyList_New(values.count) else { return nil }
            for (i, value) in values.enumerated() { paddock_ListSetItem(list, i, bool(value)) }
            return list
        }
        // In RewardParams.keys order.
        set(bool(params.allWheelsOnTrack))
        set(PyFloat_FromDouble(params.x))
        set(PyFloat_FromDouble(params.y))
        set(PyFloat_FromDouble(params.heading))
        set(PyFloat_FromDouble(params.distanceFromCenter))
        set(bool(params.isLeftOfCenter))
        set(PyFloat_FromDouble(params.progress))
        set(PyLong_FromLong(params.steps))
        set(PyFloat_FromDouble(params.speed))
        set(PyFloat_FromDouble(params.steeringAngle))
        set(PyFloat_FromDouble(params.trackWidth))
        set(PyFloat_FromDouble(params.trackLength))
        set(waypoints(params.waypoints))
        set(paddock_NewIntList2(params.closestWaypoints.0, params.closestWaypoints.1))
        set(bool(params.isReversed))
        set(bool(params.isCrashed))
        set(bool(params.isOfftrack))
        set(paddock_NewIntList2(params.closestObjects.0, params.closestObjects.1))
        let locations = PyList_New(params.objectsLocation.count)
        if let locations {
            for (i, p) in params.objectsLocation.enumerated() {
                paddock_ListSetItem(locations, i, paddock_NewFloatList2(p.x, p.y))
            }
        }
        set(locations)
        set(bools(params.objectsLeftOfCenter))
        set(floats(params.objectsSpeed))
        set(floats(params.objectsHeading))
        set(floats(params.objectsDistance))
        set(floats(params.objectsDistanceFromCenter))
        set(bool(params.objectInCamera))
        set(PyFloat_FromDouble(params.projectionDistance))
        return dict
    }

    /// A new list of the track's waypoint tuples (the tuples themselves are shared).
    private func waypoints(_ points: [Vector2]) -> UnsafeMutablePointer<PyObject>? {
        if waypointList == nil || points != cachedWaypoints {
            if let waypointList { paddock_DecRef(waypointList) }
            guard let list = PyList_New(points.count) else { return nil }
            for (i, p) in points.enumerated() { paddock_ListSetItem(list, i, paddock_NewFloatPair(p.x, p.y)) }
            waypointList = list
            cachedWaypoints = points
        }
        guard let waypointList else { return nil }
        return PyList_GetSlice(waypointList, 0, points.count)
    }
}
