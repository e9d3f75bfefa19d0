import ArgumentParser
import Assets
import Foundation
import Imaging
import Simulator

/// `paddock camera`: the camera frame the network receives at a pose.
struct CameraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "camera",
        abstract: "Write the 160x120 grayscale camera frame the network receives, as a PNG.",
        discussion: """
            The car is placed as for 'paddock params'. The PNG holds exactly the 160x120 values the \
            neural network will get (use --scale to also enlarge it for viewing). With --stereo the \
            left and right frames are written side by side.
            """
    )

    @OptionGroup var pose: PoseOptions
    @Option(help: "Where to write the PNG.") var png: String
    @Option(parsing: .unconditional, help: "Enlarge the picture by this whole factor for viewing (1 keeps 160x120).")
    var scale = 1
    @Flag(help: "Render the stereo pair (left, then right) side by side.") var stereo = false
    @Option(
        parsing: .unconditional,
        help: """
            Floor reads per pixel along its depth, 1-4: 1 is the fast default, 4 matches DeepRacer's \
            640x480 render and downscale most closely.
            """)
    var depthSamples = 1
    @Option(
        parsing: .unconditional,
        help: """
            Show the frame as one episode of domain-randomised training would (lighting, floor, \
            noise); the number picks which.
            """)
    var randomizeSeed: UInt64?

    func validate() throws {
        guard (1...8).contains(scale) else { throw ValidationError("--scale must be a whole number from 1 to 8.") }
        guard (1...4).contains(depthSamples) else { throw ValidationError("--depth-samples must be 1, 2, 3 or 4.") }
    }

    func run() throws {
        let track = try pose.loadTrack()
        var simulation = pose.simulation(on: track)
        simulation.place(pose.car)
        var sensors = Sensors(
            kinds: [stereo ? .stereoCameras : .frontFacingCamera], track: track,
            randomization: randomizeSeed == nil ? nil : DomainRandomization(), depthSamples: depthSamples,
            seed: randomizeSeed ?? 0)
        sensors.startEpisode()
        let observation = sensors.observe(simulation)
        // Channels are interleaved (120, 160, channels): lay the stereo pair side by side.
        let channels = observation.channels
        var pixels: [UInt8] = []
        pixels.reserveCapacity(observation.camera.count)
        for row in 0..<Camera.height {
            for channel in 0..<channels {
                for column in 0..<Camera.width {
                    pixels.append(observation.camera[(row * Camera.width + column) * channels + channel])
                }
            }
        }
        var image = GrayImage(width: Camera.width * channels, height: Camera.height, pixels: pixels)
        if scale > 1 { image = image.scaled(by: scale) }
        try AtomicFile.write(PNG.encode(image), to: URL(fileURLWithPath: png))
        print("Wrote \(png) (\(image.width)x\(image.height)).")
    }
}
