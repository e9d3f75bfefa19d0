import Foundation
import Testing

@testable import Simulator

@Suite struct DriveReplayTests {
    /// A drive recorded as DeepRacer records it (row k: the pose before command k acts) from
    /// Paddock's own car with no noise, under a wandering command.
    static func syntheticDrive(steps: Int = 120) -> RecordedDrive {
        var car = CarState(position: Vector2(1, 2), heading: 0.3)
        var rows: [RecordedDrive.Step] = []
        for k in 0..<steps {
            let steering = k == 0 ? 0 : 25 * sin(Double(k) / 9)
            let speed = k == 0 ? 0 : 1.5 + sin(Double(k) / 13)
            let reference = car.referencePoint
            rows.append(
                RecordedDrive.Step(
                    episode: 0, step: Double(k + 1), x: reference.x, y: reference.y,
                    yawDegrees: car.heading * 180 / .pi,
                    steeringAngle: steering, speed: speed, time: Double(k) / 15,
                    status: k == 0 ? "prepare" : "in_progress"
                ))
            if k > 0 {
                car = CarDynamics.deepRacer.advance(
                    car, speed: speed, steeringAngle: steering * .pi / 180, duration: CarGeometry.stepDuration)
            }
        }
        return RecordedDrive(steps: rows)
    }

    /// Replaying the car's own drive with the same car predicts it to within what estimating the
    /// velocity from two poses costs.
    @Test func replaysItsOwnCar() {
        let drive = Self.syntheticDrive()
        let predictions = DriveReplay(drive: drive, horizon: 15, models: [.deepRacer]).predictions()
        #expect(predictions.count == 120 - 1 - 15)
        let summary = ReplayScore(drive: drive, predictions: predictions).summary
        #expect(summary.medianPosition < 0.03, "median \(summary.medianPosition) m")
        #expect(summary.medianHeading < 2, "median \(summary.medianHeading)°")
        #expect(predictions.first?.step == drive.steps[16].step)
    }

    /// A prediction never uses a pose recorded after the row it starts from: blanking every later
    /// pose gives the same answer (with one car and with the automatic choice between two).
    @Test(arguments: [false, true])
    func predictionsUseNoLaterPose(automatic: Bool) throws {
        let text = try String(contentsOf: SharedData.gazeboRunB, encoding: .utf8)
        var drive = try RecordedDrive(csv: text)
        drive.steps = Array(drive.steps.prefix(700))
        let models: [CarDynamics] = automatic ? [.deepRacer, .deepRacer2022] : [.deepRacer]
        let full = DriveReplay(drive: drive, horizon: 15, models: models).predictions()
        for t in [5, 60, 333, 650] {
            var blanked = drive
            for i in (t + 1)..<blanked.steps.count {
                blanked.steps[i].x = .nan
                blanked.steps[i].y = .nan
                blanked.steps[i].yawDegrees = .nan
            }
            let again = DriveReplay(drive: blanked, horizon: 15, models: models).predictions()
            let before = full.filter { $0.fromRow == t }
            let after = again.filter { $0.fromRow == t }
            #expect(!before.isEmpty)
            #expect(before == after, "row \(t)")
        }
    }

    /// DeepRacer's Gazebo car, a second ahead, on the traces the fit held out.
    @Test func predictsHeldOutGazeboTraces() throws {
        let drive = try RecordedDrive(csv: String(contentsOf: SharedData.gazeboRunB, encoding: .utf8))
        let predictions = DriveReplay(drive: drive, horizon: 15, models: [.deepRacer]).predictions()
        let summary = ReplayScore(drive: drive, predictions: predictions).summary
        #expect(summary.medianPosition <= 0.20)
        #expect(summary.p90Position <= 0.60)
        #expect(summary.medianHeading <= 10)
    }

    @Test func readsSimtraceColumnsByName() throws {
        let text = """
            episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration
            0,1,3.1999,0.6831,0.1840,24.13,1.30,[24.129578351611386 1.3],0.0000,False,True,0.7914,1,17.71,6.17,prepare,0.00
            0,2,3.1997,,0.1833,-30.00,2.92,[-30.0 2.9183117402518937],1.9107,False,True,0.7906,1,17.71,6.237,in_progress,0.00
            """
        let drive = try RecordedDrive(csv: text)
        #expect(drive.steps.count == 2)
        #expect(drive.steps[0].status == "prepare" && drive.steps[0].isHeld)
        #expect(drive.steps[1].speed == 2.92 && drive.steps[1].time == 6.237)
        #expect(!drive.steps[1].hasPose)
        #expect(drive.episodes == [0..<2])
    }

    @Test func badTracesSayWhatIsWrong() {
        #expect(throws: RecordedDriveError.missingColumns(["tstamp"])) {
            try RecordedDrive(csv: "episode,steps,X,Y,yaw,steer,throttle,episode_status\n0,1,0,0,0,0,1,prepare\n")
        }
        let header = RecordedDrive.requiredColumns.joined(separator: ",")
        #expect(throws: RecordedDriveError.badNumber(line: 3, column: "throttle", text: "fast")) {
            try RecordedDrive(csv: "\(header)\n0,1,0,0,0,0,1,0,prepare\n0,2,0,0,0,0,fast,0.1,in_progress\n")
        }
    }
}
