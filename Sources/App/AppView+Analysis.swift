import Analysis
import CSDL2
import Foundation
import Imaging
import Lessons

/// The Analysis sheet: runs on the left, their pictures on the right; and what the model looks
/// at, over the camera panel.
extension AppView {
    func drawAnalysis(_ model: AppModel, _ rect: Rect) {
        let (x, top) = sheetHeader(
            "Analysis",
            "What the training logs say: pick a picture. DeepRacer log folders put in \(model.logsDirectory.path) show here too.",
            in: rect)
        guard let state = model.analysis else { return }
        let columnWidth = 170.0
        var y = top
        sectionTitle("RUNS", x: x, y: y)
        y += 20
        if state.sources.isEmpty {
            y =
                wrapped(
                    [TextRun("No model yet: train one, or unzip a DeepRacer log download into the folder above.")],
                    x: x, y: y, width: columnWidth, style: .small, color: Theme.inkSoft) + 8
        }
        for (index, source) in state.sources.enumerated().prefix(6) {
            button(
                String(source.name.prefix(24)), Rect(x: x, y: y, width: columnWidth, height: 28),
                .analysisSource(index), primary: index == state.selected, light: true)
            y += 32
        }
        y += 10
        sectionTitle("PICTURES", x: x, y: y)
        y += 20
        for (index, kind) in AnalysisPictures.Kind.allCases.enumerated() {
            button(
                Self.analysisTitle(kind), Rect(x: x, y: y, width: columnWidth, height: 26), .analysisPicture(index),
                primary: state.kind == kind && !state.showsWhatIf, light: true, enabled: state.run != nil)
            y += 29
        }
        y += 8
        button(
            state.isScoring ? "Re-scoring…" : "Try my reward", Rect(x: x, y: y, width: columnWidth, height: 30),
            .tryRewardOnPastLaps, primary: state.showsWhatIf, light: true, enabled: state.run != nil && !state.isScoring
        )

        let size = AppModel.analysisPictureSize
        let picture = Rect(
            x: x + columnWidth + 16, y: top, width: Double(size.width), height: Double(size.height))
        screen.fillRounded(picture.inset(-4), radius: 6, Theme.codeBackground)
        if state.isReading {
            screen.centredText("Reading the logs…", in: picture, .body, Theme.inkSoft)
        } else if let error = state.error {
            _ = wrapped(
                [TextRun("Could not analyse this run: \(error)")], x: picture.x + 16, y: picture.y + 16,
                width: picture.width - 32, style: .small, color: Theme.ink)
        } else if let run = state.run {
            let canvas = state.showsWhatIf ? state.whatIf?.picture : run.pictures[state.kind]
            if let canvas {
                let key = "\(state.generation)|\(state.showsWhatIf ? "what-if" : state.kind.rawValue)"
                drawCanvas(canvas, key: key, in: picture)
            }
            let summary = run.loaded.pictures.heading
            screen.text(summary, x: picture.x, y: picture.maxY + 10, .label, Theme.inkSoft)
        }
    }

    static func analysisTitle(_ kind: AnalysisPictures.Kind) -> String {
        switch kind {
        case .reward: "Reward by iteration"
        case .progress: "Progress, finished laps"
        case .laps: "Lap times"
        case .bestPaths: "Best episodes' paths"
        case .rewardMap: "Reward over the track"
        case .speedMap: "Speed over the track"
        case .steering: "Steering along the track"
        case .speed: "Speed along the track"
        }
    }

    /// Draws a picture, uploading it to a texture only when `key` changes.
    func drawCanvas(_ canvas: Canvas, key: String, in rect: Rect) {
        if analysisTexture?.key != key {
            if let old = analysisTexture?.texture { SDL_DestroyTexture(old) }
            var rgba = [UInt8](repeating: 255, count: canvas.width * canvas.height * 4)
            for i in 0..<(canvas.width * canvas.height) {
                rgba[4 * i] = canvas.pixels[3 * i]
                rgba[4 * i + 1] = canvas.pixels[3 * i + 1]
                rgba[4 * i + 2] = canvas.pixels[3 * i + 2]
            }
            analysisTexture = screen.makeRGBATexture(width: canvas.width, height: canvas.height, rgba: rgba).map {
                (key, $0)
            }
        }
        if let texture = analysisTexture?.texture { screen.draw(texture: texture, in: rect) }
    }

    /// The saliency over the camera image: heat colours, more opaque where the model looks.
    func drawSaliency(_ model: AppModel, in rect: Rect) {
        guard model.showsSaliency, let saliency = model.saliency, saliency.map.count == 160 * 120 else { return }
        var rgba = [UInt8](repeating: 0, count: 160 * 120 * 4)
        for (i, value) in saliency.map.enumerated() {
            let color = ChartTheme.heat(Double(value))
            rgba[4 * i] = color.red
            rgba[4 * i + 1] = color.green
            rgba[4 * i + 2] = color.blue
            rgba[4 * i + 3] = UInt8(min(max(value, 0), 1) * 180)
        }
        if saliencyTexture == nil { saliencyTexture = screen.makeRGBATexture(width: 160, height: 120, rgba: rgba) }
        guard let saliencyTexture else { return }
        screen.update(rgba: rgba, width: 160, height: 120, texture: saliencyTexture)
        screen.draw(texture: saliencyTexture, in: rect)
    }
}
