import Foundation
import Testing

@testable import Simulator

@Suite struct TrackTests {
    @Test func everySharedTrackLoads() throws {
        let names = SharedData.trackNames
        #expect(names.count >= 11)
        for name in names {
            let track = try Track(npyBytes: SharedData.trackBytes(name), id: name, source: "\(name).npy")
            #expect(track.length > 5, "\(name)")
            #expect(track.waypoints.count >= 4)
            #expect(track.isLoop == (name != "Straight_track"), "\(name)")
        }
    }

    @Test(arguments: [("reinvent_base", 17.71), ("Oval_track", 19.55), ("Bowtie_track", 17.43)])
    func lengthsMatchTheSpec(name: String, metres: Double) throws {
        let track = try Track(npyBytes: SharedData.trackBytes(name), id: name, source: name)
        #expect(abs(track.length - metres) < 0.005, "\(name): \(track.length)")
    }

    @Test func reinventBaseWidth() throws {
        let track = try Track(npyBytes: SharedData.trackBytes("reinvent_base"), id: "reinvent_base", source: "x")
        #expect(abs(track.averageWidth - 0.76) < 0.01)
    }
}
