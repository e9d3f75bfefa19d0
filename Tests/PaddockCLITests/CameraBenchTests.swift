import Foundation
import PaddockTestSupport
import Testing

/// `paddock bench camera` against DeepRacer's 917 frames on reInvent2019 (../shared/data).
@Suite struct CameraBenchTests {
    static let frames = RepositoryPaths.sharedData.appendingPathComponent(
        "gazebo/camera/reInvent2019-episode-gray.npz")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: frames.path)))
    func paddocksFramesStayWithinTheTargets() throws {
        let output = try PaddockRunner.run(["bench", "camera", "--json"])
        try #require(output.status == 0, "\(output.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
        let rows = try #require(object["row_profile_difference"] as? Double)
        let histogram = try #require(object["histogram_l1"] as? Double)
        let heldOutRows = try #require(object["row_profile_difference_held_out_half"] as? Double)
        let heldOutHistogram = try #require(object["histogram_l1_held_out_half"] as? Double)
        #expect(object["frames"] as? Int == 917)
        // Where the fitted look stands now (docs/camera.md): no worse than this.
        #expect(rows <= 15 && heldOutRows <= 15, "row-profile difference \(rows), held out \(heldOutRows)")
        #expect(
            histogram <= 0.65 && heldOutHistogram <= 0.65, "histogram L1 \(histogram), held out \(heldOutHistogram)")
        // The targets, not reached yet: the real frames show the road about 30 % narrower than
        // DeepRacer's current camera mount sees it along the centre line (docs/camera.md).
        withKnownIssue("camera targets not reached yet (docs/camera.md)") {
            #expect(rows <= 12, "row-profile difference \(rows) gray levels")
            #expect(histogram <= 0.35, "histogram L1 \(histogram)")
        }
    }

    @Test func aMissingFramesFileSaysWhatToDo() throws {
        let output = try PaddockRunner.run(["bench", "camera", "--frames", "/nonexistent/frames.npz"])
        #expect(output.status != 0)
        #expect(output.standardError.contains("--frames"))
    }
}
