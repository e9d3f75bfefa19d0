import Foundation
import Simulator
import Workshop

/// The instructor's side of a workshop in the app: the host running inside the app, and what it
/// last read from the workshop's store (refreshed every second).
public struct InstructorState: Sendable {
    /// One student as the instructor's list shows them.
    public struct StudentRow: Sendable, Equatable {
        public var id: Int64
        public var name: String
        public var lesson: Int
        public var step: Int
        public var training: String
        public var bestEvaluation: Double?
        /// Their latest submission's status (queued, evaluating, done, failed), if any.
        public var submission: String?
        /// That submission's id on the host.
        public var submissionId: Int64?
        /// What the host said of it ("3 of 3 laps complete…", or why it failed).
        public var submissionMessage: String
        /// The reward function they sent with it, to read (the host never runs it).
        public var rewardFunction: String
        public var secondsSinceSeen: Double
    }

    /// The full-screen race: every car's evaluated laps replayed together on one clock.
    public struct Projector: Sendable {
        public var track: Track
        /// Seconds since the start of the replay.
        public var clock = 0.0
    }

    /// Set while this app hosts a workshop.
    public internal(set) var server: WorkshopServer?
    var running: WorkshopHost.Running?
    /// The port the host listens on, once it does.
    public internal(set) var listeningPort: Int?
    public internal(set) var addresses: [String] = []
    public internal(set) var info: WorkshopStore.Info?
    public internal(set) var students: [StudentRow] = []
    public internal(set) var leaderboard: Leaderboard?
    public internal(set) var replay = RaceReplay(cars: [])
    public internal(set) var projector: Projector?
    public internal(set) var status = ""
    /// The student whose submission the instructor is reading, if any.
    public internal(set) var selectedStudent: Int64?
    var secondsSinceRead = 0.0
    var reading = false
    /// The evaluated submissions the replay was read for (it is read again when they change).
    var replayKey = ""

    /// Where students join: this machine's LAN address and the port.
    public var joinAddress: String? {
        listeningPort.map { port in "\(addresses.first ?? "127.0.0.1"):\(port)" }
    }
}

extension AppModel {
    /// Starts hosting a workshop in this app (its state under `$PADDOCK_HOME/workshop`, so
    /// hosting again continues the same one) and opens the instructor's view.
    public func hostWorkshop(port: Int = 8080) {
        sheet = .instructor
        guard instructor.server == nil else { return }
        let server: WorkshopServer
        do {
            server = try WorkshopHost.make(
                home: home.url, title: "Paddock workshop", course: library.lessons.map(\.steps.count))
        } catch {
            instructor.status = "Could not start the workshop: \(error)"
            return
        }
        instructor.server = server
        instructor.addresses = WorkshopHost.lanAddresses()
        instructor.status = "Starting the host on port \(port)…"
        let listening = jobs.expect { (model, listening: Int) in
            model.instructor.listeningPort = listening
            model.instructor.status = "The host is running. Students join with the address and code above."
        }
        let stopped = jobs.expect { (model, error: String) in
            // Nothing to race for: the queue stops after the model it is on.
            model.jobs.run { server.evaluator.stop() }
            model.instructor.server = nil
            model.instructor.listeningPort = nil
            model.instructor.status =
                "The host stopped: \(error). If port \(port) is in use, stop the other host (or app) and try again."
        }
        let running = WorkshopHost.start(server, port: port) { listening.send($0) }
        instructor.running = running
        Task.detached {
            do {
                try await running.run()
            } catch {
                stopped.send("\(error)")
            }
        }
        readHostedWorkshop()
    }

    /// Stops the host (the workshop's state stays on disk for next time).
    public func stopHosting() {
        if let running = instructor.running { Task.detached { await running.stop() } }
        if let evaluator = instructor.server?.evaluator {
            // Waits for the model being raced; not on the drawing thread.
            jobs.run { evaluator.stop() }
        }
        instructor = InstructorState()
        instructor.status = "The host is stopped. Host again to continue the same workshop."
    }

    /// Moves the room one step on (or back) through the lessons, and this app with it.
    public func moveRoom(by delta: Int) {
        guard let info = instructor.info else { return }
        var lesson = min(max(info.lesson - 1, 0), library.lessons.count - 1)
        var step = info.step - 1 + delta
        if step >= library.lessons[lesson].steps.count {
            if lesson + 1 < library.lessons.count {
                lesson += 1
                step = 0
            } else {
                step = library.lessons[lesson].steps.count - 1
            }
        } else if step < 0 {
            if lesson > 0 {
                lesson -= 1
                step = library.lessons[lesson].steps.count - 1
            } else {
                step = 0
            }
        }
        setRoomPacing(lesson: lesson, step: step)
    }

    /// Sends the room to the lesson and step this app shows.
    public func bringRoomHere() { setRoomPacing(lesson: lessonIndex, step: stepIndex) }

    /// Lets students move at their own speed, or has them follow the pacing again.
    public func toggleSelfPaced() {
        updateHosted { info in info.selfPaced.toggle() }
    }

    /// The race track: the next (or previous) in the catalog. Every latest model races again.
    public func changeRaceTrack(by delta: Int) {
        let tracks = catalog.entries.map(\.id)
        guard let info = instructor.info, let server = instructor.server, !tracks.isEmpty else { return }
        let index = tracks.firstIndex(of: info.raceTrack) ?? 0
        let next = tracks[((index + delta) % tracks.count + tracks.count) % tracks.count]
        hostedCall { try server.setRace(track: next) }
    }

    /// Laps in the race, 1 to 10.
    public func changeRaceLaps(by delta: Int) {
        guard let info = instructor.info, let server = instructor.server else { return }
        let laps = min(max(info.raceLaps + delta, 1), 10)
        guard laps != info.raceLaps else { return }
        hostedCall { try server.setRace(laps: laps) }
    }

    /// Starts the race: the leaderboard page says so, and the projector view opens.
    public func startRace() {
        guard let server = instructor.server else { return }
        hostedCall { try server.setRace(start: true) }
        openProjector()
    }

    /// The full-screen race view; Esc closes it.
    public func openProjector() {
        guard let info = instructor.info else { return }
        do {
            instructor.projector = .init(track: try catalog.track(named: info.raceTrack))
        } catch {
            instructor.status = "Cannot show the race: \(error)"
        }
    }

    public func closeProjector() { instructor.projector = nil }

    /// Shows one student's submission and reward function (nil: back to the room).
    public func selectStudent(_ id: Int64?) { instructor.selectedStudent = id }

    /// Cancels a submission waiting for its race or racing now: it is marked failed, "Cancelled
    /// by the instructor", and the queue goes on.
    public func cancelSubmission(_ id: Int64) {
        guard let evaluator = instructor.server?.evaluator else { return }
        instructor.status = "Cancelling submission \(id)…"
        // Killing a race waits for its process; not on the drawing thread.
        jobs.run { _ = try? evaluator.cancel(submission: id) }
    }

    // MARK: Behind the controls

    func setRoomPacing(lesson: Int, step: Int) {
        updateHosted { info in
            info.lesson = lesson + 1
            info.step = step + 1
        }
        if lesson != lessonIndex || step != stepIndex { go(lesson: lesson, step: step) }
    }

    private func updateHosted(_ change: @escaping (inout WorkshopStore.Info) -> Void) {
        guard let server = instructor.server else { return }
        hostedCall { try server.store.updateInfo(change) }
    }

    /// A change to the hosted workshop (a quick local database write), then shown at once.
    private func hostedCall(_ call: () throws -> WorkshopStore.Info) {
        do {
            instructor.info = try call()
            instructor.secondsSinceRead = 1
        } catch {
            instructor.status = "\(error)"
        }
    }

    /// Every second while hosting: reads the students, the leaderboard and (when results
    /// changed) the race paths, off this thread; advances the projector's clock.
    func pollHostedWorkshop(seconds: Double) {
        if var projector = instructor.projector {
            let length = instructor.replay.duration
            projector.clock += seconds
            // The replay loops, with a pause on the finish.
            if instructor.info?.raceStarted != true || length == 0 {
                projector.clock = 0
            } else if projector.clock > length + 5 {
                projector.clock = 0
            }
            if projector.track.id != instructor.info?.raceTrack, let id = instructor.info?.raceTrack {
                projector.track = (try? catalog.track(named: id)) ?? projector.track
            }
            instructor.projector = projector
        }
        guard instructor.server != nil, !instructor.reading else { return }
        instructor.secondsSinceRead += seconds
        guard instructor.secondsSinceRead >= 1 else { return }
        readHostedWorkshop()
    }

    func readHostedWorkshop() {
        guard let server = instructor.server else { return }
        instructor.secondsSinceRead = 0
        instructor.reading = true
        let previousKey = instructor.replayKey
        jobs.start {
            let store = server.store
            let info = try store.info()
            let latest = try store.latestSubmissions()
            let now = Date()
            let rows = try store.students().map { student in
                let submission = latest.last { $0.studentId == student.id }
                return InstructorState.StudentRow(
                    id: student.id ?? 0, name: student.name, lesson: student.lesson, step: student.step,
                    training: student.training, bestEvaluation: student.bestEvaluation,
                    submission: submission?.status, submissionId: submission?.id,
                    submissionMessage: submission?.message ?? "",
                    rewardFunction: submission?.rewardFunction ?? "",
                    secondsSinceSeen: now.timeIntervalSince(student.lastSeen))
            }
            let key =
                "\(info.raceTrack) \(info.raceLaps) "
                + latest.filter { $0.status == "done" }.map { "\($0.id ?? 0)" }.joined(separator: ",")
            return HostedWorkshopRead(
                info: info, students: rows, leaderboard: try server.leaderboard(), replayKey: key,
                replay: key == previousKey ? nil : try store.replay())
        } then: { model, result in
            model.instructor.reading = false
            switch result {
            case .success(let read):
                model.instructor.info = read.info
                model.instructor.students = read.students
                model.instructor.leaderboard = read.leaderboard
                if let replay = read.replay {
                    model.instructor.replay = replay
                    model.instructor.replayKey = read.replayKey
                }
            case .failure(let error):
                model.instructor.status = "Could not read the workshop: \(error)"
            }
        }
    }
}

/// One read of the hosted workshop's state, made off the drawing thread: the room, its students,
/// the leaderboard, and the race replay when the finished races changed (`replayKey`).
struct HostedWorkshopRead: Sendable {
    var info: WorkshopStore.Info
    var students: [InstructorState.StudentRow]
    var leaderboard: Leaderboard
    var replayKey: String
    var replay: RaceReplay?
}
