/// A bot car's plan: where it started, its lane, and when it next changes lanes.
struct BotCar: Sendable, Equatable {
    /// Distance along the centre line at the episode's start, metres.
    var startDistance: Double
    /// The lane it drives in (before any change under way).
    var lane: Lane
    /// Seconds the bot has been held by penalties, which it does not drive.
    var pausedSeconds = 0.0
    /// Distance along the centre line where the next lane change begins, metres (infinite when none).
    var nextChangeDistance = Double.infinity
}

extension Simulation {
    /// Places boxes or bot cars for a new episode, as DeepRacer's agent controllers do.
    mutating func placeObjects() {
        objects = []
        bots = []
        let length = track.length
        switch settings.raceType {
        case .timeTrial:
            return
        case .objectAvoidance(let settings):
            let count = max(settings.count, 0)
            var distances = Self.evenlySpaced(count: count, from: settings.minimumDistance, to: length - 1.0)
            var lanes = (0..<count).map { $0 % 2 == 0 ? Lane.inner : Lane.outer }
            if settings.randomizeLocations {
                // Each box moves at random within its share of the lap, keeping the minimum gap,
                // and takes a random lane.
                let spacing = count > 1 ? (distances[1] - distances[0]) : length - 1.0 - settings.minimumDistance
                let slack = max((spacing - settings.minimumDistance) / 2, 0)
                for i in distances.indices {
                    distances[i] += random.uniform(-slack...slack)
                    lanes[i] = Bool.random(using: &random) ? .inner : .outer
                }
            }
            for (distance, lane) in zip(distances, lanes) {
                let pose = track.lanePose(lane, atDistance: distance)
                objects.append(.box(at: pose.position, heading: pose.heading, lane: lane))
            }
        case .headToBot(let settings):
            let count = max(settings.count, 0)
            let distances = Self.evenlySpaced(count: count, from: settings.minimumDistance, to: length - 1.0)
            for (i, distance) in distances.enumerated() {
                var bot = BotCar(startDistance: distance, lane: i % 2 == 0 ? .inner : .outer)
                if settings.changesLanes {
                    bot.nextChangeDistance = distance + random.uniform(settings.laneChangeInterval) * settings.speed
                }
                bots.append(bot)
                let pose = track.lanePose(bot.lane, atDistance: distance)
                objects.append(.botCar(at: pose.position, heading: pose.heading, speed: settings.speed, lane: bot.lane))
            }
        }
    }

    /// `count` distances spread evenly from `start` to `end` (numpy's linspace).
    static func evenlySpaced(count: Int, from start: Double, to end: Double) -> [Double] {
        if count <= 0 { return [] }
        if count == 1 { return [start] }
        return (0..<count).map { start + (end - start) * Double($0) / Double(count - 1) }
    }

    /// Moves each bot car to where it is at the current simulated time.
    ///
    /// A bot drives its lane at constant speed (measured along the centre line). With lane changes
    /// on, it cruises 3-5 s, then moves to the other lane over `laneChangeDistance` metres, easing
    /// in and out.
    mutating func moveBots() {
        guard case .headToBot(let settings) = settings.raceType else { return }
        let elapsed = simulatedTime - episodeStartTime
        for i in bots.indices {
            let driving = max(elapsed - bots[i].pausedSeconds, 0)
            let distance = bots[i].startDistance + driving * settings.speed
            if settings.changesLanes && distance >= bots[i].nextChangeDistance + settings.laneChangeDistance {
                bots[i].lane = bots[i].lane.other
                bots[i].nextChangeDistance =
                    distance + random.uniform(settings.laneChangeInterval) * settings.speed
            }
            var position = track.lanePose(bots[i].lane, atDistance: distance).position
            var lane = bots[i].lane
            if settings.changesLanes && distance > bots[i].nextChangeDistance {
                let t = (distance - bots[i].nextChangeDistance) / settings.laneChangeDistance
                let eased = t * t * (3 - 2 * t)
                let target = track.lanePose(lane.other, atDistance: distance).position
                position = position + (target - position) * eased
                if eased > 0.5 { lane = lane.other }
            }
            let ahead = track.lanePose(bots[i].lane, atDistance: distance + 0.05).position
            let heading = (ahead - track.lanePose(bots[i].lane, atDistance: distance).position).angle
            objects[i] = .botCar(at: position, heading: heading, speed: settings.speed, lane: lane)
        }
    }

    /// The object nearest (along the track) to `distance`, if one stands within 1 m of it.
    func closestObject(toDistance distance: Double) -> (object: TrackObject, lane: Lane, distance: Double)? {
        var best: (TrackObject, Lane, Double)?
        var bestGap = Self.closestObjectGap
        for object in objects {
            let objectDistance = track.project(object.position).distanceAlong
            var gap = abs(objectDistance - distance).truncatingRemainder(dividingBy: track.length)
            gap = min(gap, track.length - gap)
            if gap < bestGap {
                bestGap = gap
                best = (object, object.lane, objectDistance)
            }
        }
        return best
    }

    /// The index of an object the car's box runs into: one of the car's corners inside the
    /// object's rectangle (DeepRacer's test).
    func collidedObject() -> Int? {
        guard !objects.isEmpty else { return nil }
        let corners = car.corners
        for (i, object) in objects.enumerated() where corners.contains(where: object.contains) {
            return i
        }
        return nil
    }

    /// Whether the car is behind bot `index` along the lap (only then does touching it count).
    func isBehindBot(_ index: Int) -> Bool {
        let carAbsolute = (progress + startFraction * 100).truncatingRemainder(dividingBy: 100)
        let botFront = objects[index].position + Vector2(angle: objects[index].heading) * CarGeometry.referencePointX
        let botAbsolute = track.project(botFront).distanceAlong / track.length * 100
        return carAbsolute < botAbsolute
    }

    /// Fills the object keys of the params, as DeepRacer's `get_object_reward_params` does.
    func fillObjectParams(_ params: inout RewardParams, carDistance: Double) {
        var distances: [Double] = []
        for object in objects {
            let projection = track.project(object.position)
            distances.append(projection.distanceAlong)
            params.objectsLocation.append(object.position)
            params.objectsDistanceFromCenter.append(projection.distanceFromCentre)
            params.objectsLeftOfCenter.append(projection.isLeftOfCentre)
            params.objectsSpeed.append(object.speed)
            params.objectsHeading.append(object.kind == .botCar ? object.heading : 0)
        }
        params.objectsDistance = distances
        let order = distances.indices.sorted { distances[$0] < distances[$1] }
        // bisect_right over the sorted distances, wrapping at the ends.
        var next = order.firstIndex { distances[$0] > carDistance } ?? order.count
        var previous = next - 1
        if previous == -1 { previous = order.count - 1 }
        if next == order.count { next = 0 }
        params.closestObjects = (order[previous], order[next])
        params.objectInCamera = CameraModel.front.sees(objects[order[next]], from: car)
    }
}
