import Foundation
import Simulator

/// A reward function for following a racing line, with the line written into it: what DeepRacer
/// racers paste into the console, made from the line Paddock computes (`Track.racingLine`).
public enum RacingLineReward {
    /// The Python source: 1.0 on the line, falling to 0.001 half a track width from it, and
    /// 0.001 off the road.
    public static func source(track: String, line: [Vector2]) -> String {
        var rows: [String] = []
        for start in stride(from: 0, to: line.count, by: 4) {
            let points = line[start..<min(start + 4, line.count)].map {
                String(format: "[%.3f, %.3f]", $0.x, $0.y)
            }
            rows.append("    " + points.joined(separator: ", ") + ",")
        }
        return """
            # Follow the racing line Paddock computed for \(track) (`paddock tracks racing-line \(track)`
            # prints it again). The reward is 1.0 on the line and falls to 0.001 half a track width
            # away from it; off the road it is 0.001.
            import math

            RACING_LINE = [
            \(rows.joined(separator: "\n"))
            ]


            def reward_function(params):
                if not params['all_wheels_on_track']:
                    return 1e-3
                x = params['x']
                y = params['y']
                # How far the car is from the nearest point of the line.
                distance = min(math.hypot(x - px, y - py) for px, py in RACING_LINE)
                return float(max(1e-3, 1 - distance / (0.5 * params['track_width'])))

            """
    }
}
