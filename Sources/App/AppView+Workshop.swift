import CSDL2
import Foundation
import Lessons
import Simulator
import Workshop

/// The workshop's screens: joining as a student, the instructor's view of the room, and the
/// projector's race.
extension AppView {
    func drawWorkshop(_ model: AppModel, _ rect: Rect) {
        let x = rect.x + 28
        var y = rect.y + 22
        let state = model.workshop
        screen.text("Workshop", x: x, y: y, .title, Theme.ink)
        y += 44
        if let client = state.client {
            screen.text("Joined \(client.title) at \(client.base).", x: x, y: y, .body, Theme.ink)
            y += 30
            if let pacing = state.pacing {
                let pace =
                    pacing.selfPaced
                    ? "The room is self-paced: go at your own speed."
                    : "The instructor has the room on lesson \(pacing.lesson), step \(pacing.step); you follow."
                screen.text(pace, x: x, y: y, .body, Theme.inkSoft)
                y += 30
            }
            button(
                "Submit \(model.modelName) to the race", Rect(x: x, y: y + 10, width: 280, height: 38),
                .submitToWorkshop,
                primary: true, light: true)
            y += 60
        } else {
            for (index, label) in ["Host address (as on the instructor's screen)", "Join code", "Your display name"]
                .enumerated()
            {
                screen.text(label, x: x, y: y, .small, Theme.inkSoft)
                let box = Rect(x: x, y: y + 18, width: 360, height: 34)
                screen.fillRounded(
                    box, radius: 6, state.focus == index ? Theme.withAlpha(Theme.accent, 50) : Theme.codeBackground)
                let width = screen.text(state.fields[index], x: box.x + 10, y: box.y + 8, .code, Theme.ink)
                if state.focus == index {
                    screen.fill(Rect(x: box.x + 11 + width, y: box.y + 7, width: 2, height: 20), Theme.accent)
                }
                targets.append((box, .workshopField(index)))
                y += 64
            }
            button("Join", Rect(x: x, y: y + 4, width: 120, height: 38), .joinWorkshop, primary: true, light: true)
            y += 56
        }
        _ = wrapped([TextRun(state.status)], x: x, y: y, width: rect.width - 56, style: .body, color: Theme.ink)
        if state.client == nil {
            screen.text("Running the workshop?", x: x, y: rect.maxY - 92, .bodyBold, Theme.ink)
            button(
                "Host a workshop on this computer", Rect(x: x, y: rect.maxY - 64, width: 290, height: 38),
                .hostWorkshop, primary: false, light: true)
        }
    }

    func drawInstructor(_ model: AppModel, _ rect: Rect) {
        let state = model.instructor
        let x = rect.x + 28
        var y = rect.y + 22
        screen.text("Workshop host", x: x, y: y, .title, Theme.ink)
        y += 44
        guard let address = state.joinAddress, let info = state.info else {
            _ = wrapped([TextRun(state.status)], x: x, y: y, width: rect.width - 56, style: .body, color: Theme.ink)
            if state.server == nil {
                button(
                    "Host again", Rect(x: x, y: rect.maxY - 64, width: 150, height: 38), .hostWorkshop, primary: true,
                    light: true)
            }
            return
        }
        var lineX = x + screen.text("Students join at ", x: x, y: y + 4, .body, Theme.inkSoft)
        lineX += screen.text(address, x: lineX, y: y, .heading, Theme.ink)
        lineX += screen.text("  with the code  ", x: lineX, y: y + 4, .body, Theme.inkSoft)
        screen.text(info.joinCode, x: lineX, y: y, .heading, Theme.accentDark)
        y += 28
        screen.text(
            "Leaderboard for phones and the projector: http://\(address)/", x: x, y: y, .small, Theme.inkSoft)
        y += 34

        // Pacing.
        screen.text("ROOM", x: x, y: y + 10, .label, Theme.inkSoft)
        let lesson =
            model.library.lessons.indices.contains(info.lesson - 1) ? model.library.lessons[info.lesson - 1] : nil
        let here = info.lesson == model.lessonIndex + 1 && info.step == model.stepIndex + 1
        screen.text(
            "Lesson \(info.lesson), step \(info.step)" + (lesson.map { ": \($0.title)" } ?? ""), x: x + 60, y: y + 8,
            .bodyBold, Theme.ink)
        y += 34
        var buttonX = x + 60
        func add(_ title: String, _ width: Double, _ target: ClickTarget, primary: Bool = false, enabled: Bool = true) {
            button(
                title, Rect(x: buttonX, y: y, width: width, height: 32), target, primary: primary, light: true,
                enabled: enabled)
            buttonX += width + 8
        }
        add("◀ Step", 80, .moveRoom(-1))
        add("Step ▶", 80, .moveRoom(1), primary: true)
        add("Bring the room to my step", 210, .bringRoomHere, enabled: !here)
        add(info.selfPaced ? "Self-paced: on" : "Self-paced: off", 140, .toggleSelfPaced)
        y += 48

        // The race.
        screen.text("RACE", x: x, y: y + 9, .label, Theme.inkSoft)
        buttonX = x + 60
        add("◀", 32, .raceTrack(-1))
        screen.centredText(info.raceTrack, in: Rect(x: buttonX, y: y, width: 150, height: 32), .bodyBold, Theme.ink)
        buttonX += 158
        add("▶", 32, .raceTrack(1))
        buttonX += 8
        add("−", 32, .raceLaps(-1))
        screen.centredText(
            "\(info.raceLaps) lap\(info.raceLaps == 1 ? "" : "s")", in: Rect(x: buttonX, y: y, width: 64, height: 32),
            .bodyBold, Theme.ink)
        buttonX += 72
        add("+", 32, .raceLaps(1))
        buttonX += 8
        if info.raceStarted {
            add("Projector", 110, .openProjector, primary: true)
        } else {
            add("Start the race", 130, .startRace, primary: true)
        }
        y += 50

        if let id = state.selectedStudent, let student = state.students.first(where: { $0.id == id }) {
            drawSubmission(student, x: x, y: y, rect: rect)
            return
        }

        // The students.
        let rows = state.students
        let evaluating = rows.filter { $0.submission == "queued" || $0.submission == "evaluating" }.count
        let submitted = rows.filter { $0.submission != nil }.count
        screen.text(
            "\(rows.count) student\(rows.count == 1 ? "" : "s") · \(submitted) submitted"
                + (evaluating > 0 ? " · \(evaluating) waiting to race" : ""), x: x, y: y, .bodyBold, Theme.ink)
        y += 26
        let bottom = rect.maxY - 60
        let rowHeight = 22.0
        let fitting = max(Int((bottom - y - 18) / rowHeight), 1)
        let columns = rows.count > fitting ? 2 : 1
        let columnWidth = (rect.width - 56) / Double(columns)
        let fields: [(String, Double)] =
            columns == 1
            ? [("NAME", 0), ("WHERE", 0.3), ("TRAINING", 0.45), ("BEST EVAL", 0.62), ("MODEL", 0.76), ("SEEN", 0.9)]
            : [("NAME", 0), ("WHERE", 0.38), ("TRAINING", 0.56), ("EVAL", 0.76), ("MODEL", 0.88)]
        for column in 0..<columns {
            for (title, offset) in fields {
                screen.text(
                    title, x: x + Double(column) * columnWidth + offset * columnWidth, y: y, .label, Theme.inkSoft)
            }
        }
        y += 18
        if rows.isEmpty {
            screen.text("Nobody has joined yet.", x: x, y: y + 4, .body, Theme.inkSoft)
        }
        for (index, row) in rows.prefix(fitting * columns).enumerated() {
            let column = Double(index / fitting)
            let rowY = y + Double(index % fitting) * rowHeight
            let rowX = x + column * columnWidth
            let rowRect = Rect(x: rowX - 6, y: rowY - 2, width: columnWidth - 8, height: rowHeight)
            if hovered == .selectStudent(row.id) { screen.fillRounded(rowRect, radius: 4, Theme.codeBackground) }
            targets.append((rowRect, .selectStudent(row.id)))
            let behind = !info.selfPaced && (row.lesson, row.step) < (info.lesson, info.step)
            let away = row.secondsSinceSeen > 10
            let values = [
                row.name, "\(row.lesson) · \(row.step)", row.training,
                row.bestEvaluation.map { String(format: "%.0f%%", $0) } ?? "—", row.submission ?? "—",
                away ? "\(Int(row.secondsSinceSeen)) s ago" : "now",
            ]
            for ((_, offset), value) in zip(fields, values) {
                let color =
                    (offset == fields[1].1 && behind) || (value == values[5] && away) || value == "failed"
                    ? Theme.warning : Theme.ink
                screen.text(value, x: rowX + offset * columnWidth, y: rowY, offset == 0 ? .smallBold : .small, color)
            }
        }
        if rows.count > fitting * columns {
            screen.text(
                "and \(rows.count - fitting * columns) more", x: x, y: y + Double(fitting) * rowHeight, .small,
                Theme.inkSoft)
        }
        screen.text(
            rows.isEmpty ? state.status : "Click a student to read their submission and reward function.", x: x,
            y: rect.maxY - 46, .small, Theme.inkSoft)
        button(
            "Stop hosting", Rect(x: rect.maxX - 150, y: rect.maxY - 54, width: 126, height: 34), .stopHosting,
            primary: false, light: true)
    }

    /// One student's latest submission: what the host made of it and the reward function they
    /// sent, to read (the host never runs it).
    func drawSubmission(_ student: InstructorState.StudentRow, x: Double, y: Double, rect: Rect) {
        var y = y
        button(
            "◀ The room", Rect(x: x, y: y, width: 110, height: 30), .selectStudent(nil), primary: false, light: true)
        screen.text(student.name, x: x + 126, y: y + 4, .heading, Theme.ink)
        y += 44
        let model =
            student.submission == nil
            ? "No model submitted yet." : "Model: \(student.submission ?? "") · \(student.submissionMessage)"
        y = wrapped([TextRun(model)], x: x, y: y, width: rect.width - 56, style: .body, color: Theme.ink) + 8
        if let id = student.submissionId, student.submission == "queued" || student.submission == "evaluating" {
            button(
                student.submission == "queued" ? "Cancel its race" : "Stop its race",
                Rect(x: x, y: y, width: 140, height: 30), .cancelSubmission(id), primary: false, light: true)
            y += 40
        }
        screen.text("REWARD FUNCTION", x: x, y: y, .label, Theme.inkSoft)
        y += 18
        let box = Rect(x: x, y: y, width: rect.width - 56, height: rect.maxY - 24 - y)
        screen.fillRounded(box, radius: 6, Theme.codeBackground)
        let text = student.rewardFunction.isEmpty ? "(none sent)" : student.rewardFunction
        let lineHeight = screen.lineHeight(.code)
        screen.clip(box.inset(8))
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineY = box.y + 10 + Double(index) * lineHeight
            guard lineY + lineHeight < box.maxY else { break }
            screen.text(line.replacingOccurrences(of: "\t", with: "    "), x: box.x + 12, y: lineY, .code, Theme.ink)
        }
        screen.unclip()
    }

    // MARK: The projector

    /// The race on the whole window: every car's evaluated laps replayed together on the track,
    /// and the leaderboard beside it.
    func drawProjector(_ model: AppModel, _ projector: InstructorState.Projector) {
        let state = model.instructor
        let w = Double(screen.width)
        let h = Double(screen.height)
        screen.clear(Theme.chrome)
        let boardWidth = min(max(w * 0.36, 430), 600)
        let top = 96.0
        let info = state.info
        screen.text(info?.title ?? "Paddock race", x: 32, y: 22, .display, Theme.inkOnDark)
        if let info, let address = state.joinAddress {
            screen.text(
                "\(info.raceTrack) · \(info.raceLaps) lap\(info.raceLaps == 1 ? "" : "s") · results at http://\(address)/",
                x: 34, y: 70, .small, Theme.inkOnDarkSoft)
        }
        let clock = String(format: "%.1f s", projector.clock)
        let clockWidth = screen.measure(clock, .display)
        screen.text(clock, x: w - boardWidth - 32 - clockWidth, y: 22, .display, Theme.gold)

        // The track and the cars.
        let area = Rect(x: 0, y: top, width: w - boardWidth, height: h - top)
        screen.fill(area, Theme.grass)
        let frame = TrackFrame(track: projector.track, rect: area, margin: 36)
        drawRoad(projector.track, frame)
        let markers = state.replay.markers(at: projector.clock)
        // A car drawn larger than life (1/18 scale is a speck on a projector), with its driver's name.
        let length = max(0.45 * frame.scale, 14)
        let width = length * 0.55
        for marker in markers {
            let (cx, cy) = frame.map(Vector2(marker.x, marker.y))
            let forward = (cos(marker.heading), -sin(marker.heading))
            let side = (-forward.1, forward.0)
            let corners = [(0.5, 0.5), (0.5, -0.5), (-0.5, -0.5), (-0.5, 0.5)].map { a, b in
                (cx + forward.0 * a * length + side.0 * b * width, cy + forward.1 * a * length + side.1 * b * width)
            }
            let color = Theme.racer(marker.studentId)
            screen.fillConvex(corners, marker.finished ? Theme.withAlpha(color, 140) : color)
            screen.fillCircle(
                x: cx + forward.0 * length * 0.35, y: cy + forward.1 * length * 0.35, radius: width * 0.22, Theme.chrome
            )
            let label = marker.finished ? "\(marker.name) ✓" : "\(marker.name) · lap \(marker.lap)"
            let labelWidth = screen.measure(label, .smallBold) + 12
            // Beside the car, on whichever side keeps it over the track.
            let labelX =
                cx + length * 0.6 + labelWidth > area.maxX - 8 ? cx - length * 0.6 - labelWidth : cx + length * 0.6
            screen.fillRounded(
                Rect(x: labelX, y: cy - 11, width: labelWidth, height: 22), radius: 6,
                Theme.withAlpha(Theme.chrome, 200))
            screen.text(label, x: labelX + 6, y: cy - 8, .smallBold, color)
        }
        if info?.raceStarted != true || markers.isEmpty {
            let text = info?.raceStarted != true ? "Waiting for the start" : "No car has raced yet"
            let box = Rect(x: area.x + area.width / 2 - 220, y: area.y + area.height / 2 - 40, width: 440, height: 80)
            screen.fillRounded(box, radius: 14, Theme.withAlpha(Theme.chrome, 220))
            screen.centredText(text, in: box, .big, Theme.inkOnDark)
        }

        // The leaderboard.
        let board = Rect(x: w - boardWidth, y: 0, width: boardWidth, height: h)
        screen.fill(board, Theme.panel)
        var y = 28.0
        let x = board.x + 24
        screen.text("LEADERBOARD", x: x, y: y, .smallBold, Theme.inkOnDarkSoft)
        y += 30
        // Numbers right-aligned at these distances from the board's left padding.
        let inner = boardWidth - 48
        let nameX = x + 34
        let averageRight = x + inner - 150
        let bestRight = x + inner - 64
        let lapsRight = x + inner
        func right(_ text: String, _ edge: Double, _ y: Double, _ style: FontStyle, _ color: SDL_Color) {
            screen.text(text, x: edge - screen.measure(text, style), y: y, style, color)
        }
        screen.text("#", x: x, y: y, .label, Theme.inkOnDarkSoft)
        screen.text("DRIVER", x: nameX, y: y, .label, Theme.inkOnDarkSoft)
        right("AVERAGE", averageRight, y, .label, Theme.inkOnDarkSoft)
        right("BEST", bestRight, y, .label, Theme.inkOnDarkSoft)
        right("LAPS", lapsRight, y, .label, Theme.inkOnDarkSoft)
        y += 22
        let rows = state.leaderboard?.rows ?? []
        if rows.isEmpty {
            screen.text("No models yet.", x: x, y: y + 8, .body, Theme.inkOnDarkSoft)
        }
        let ids = Dictionary(state.replay.cars.map { ($0.name, $0.studentId) }, uniquingKeysWith: { first, _ in first })
        let rowHeight = min(44, max(26, (h - y - 20) / Double(max(rows.count, 1))))
        for row in rows where y + rowHeight <= h - 8 {
            let leader = row.rank == 1 && row.averageLap != nil
            if leader {
                screen.fillRounded(
                    Rect(x: board.x + 12, y: y - 4, width: boardWidth - 24, height: rowHeight - 2), radius: 8,
                    Theme.withAlpha(Theme.gold, 40))
            }
            let style: FontStyle = rowHeight >= 36 ? .heading : .bodyBold
            let ink = leader ? Theme.gold : Theme.inkOnDark
            let textY = y + (rowHeight - screen.lineHeight(style)) / 2 - 2
            screen.text("\(row.rank)", x: x, y: textY, style, ink)
            if let id = ids[row.name] {
                screen.fillCircle(x: nameX - 12, y: y + rowHeight / 2 - 2, radius: 5, Theme.racer(id))
            }
            screen.clip(Rect(x: nameX, y: y - 4, width: averageRight - 80 - nameX, height: rowHeight))
            screen.text(row.name, x: nameX, y: textY, style, ink)
            screen.unclip()
            let waiting = ["queued": "in line", "evaluating": "racing…", "failed": "failed"]
            let average = row.averageLap.map { String(format: "%.2f", $0) } ?? waiting[row.status] ?? "DNF"
            right(average, averageRight, textY, style, ink)
            right(row.bestLap.map { String(format: "%.2f", $0) } ?? "—", bestRight, textY, style, Theme.inkOnDarkSoft)
            right("\(row.lapsCompleted)/\(row.laps)", lapsRight, textY, style, Theme.inkOnDarkSoft)
            y += rowHeight
        }
        screen.text("Esc to leave the race view", x: 32, y: h - 28, .small, Theme.inkOnDarkSoft)
    }
}
