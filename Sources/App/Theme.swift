import CSDL2

/// Paddock's colours and type: calm, high contrast, one accent.
enum Theme {
    static let chrome = rgb(0x1F2429)
    static let paper = rgb(0xFAF8F3)
    static let paperLine = rgb(0xE4DED2)
    static let ink = rgb(0x23272B)
    static let inkSoft = rgb(0x5C6168)
    static let inkOnDark = rgb(0xE9ECEF)
    static let inkOnDarkSoft = rgb(0x9AA3AD)
    static let accent = rgb(0x2A9D8F)
    static let accentDark = rgb(0x1F7A6F)
    static let warning = rgb(0xE76F51)
    static let gold = rgb(0xE9C46A)
    static let panel = rgb(0x262C33)
    static let panelLine = rgb(0x353D46)
    static let grass = rgb(0x34503F)
    static let road = rgb(0x4A4F56)
    static let border = rgb(0xF1F1EE)
    static let centreLine = rgb(0xE9C46A)
    static let car = rgb(0xF4A261)
    static let trail = rgb(0x8ECAE6)
    static let racingLine = rgb(0xB5179E)
    static let box = rgb(0xD6A060)
    static let codeBackground = rgb(0xEFEBE2)
    /// The cars on the projector, one colour a student.
    static let racers: [SDL_Color] = [
        0xF4A261, 0x8ECAE6, 0xE9C46A, 0xE76F51, 0x90BE6D, 0xC77DFF, 0xF15BB5, 0x00BBF9, 0xFEE440, 0x00F5D4, 0xFF8FA3,
        0xB5E48C,
    ].map { rgb($0) }

    static func racer(_ id: Int64) -> SDL_Color { racers[Int(UInt64(bitPattern: id) % UInt64(racers.count))] }

    static func rgb(_ hex: UInt32, alpha: UInt8 = 255) -> SDL_Color {
        SDL_Color(r: UInt8((hex >> 16) & 0xFF), g: UInt8((hex >> 8) & 0xFF), b: UInt8(hex & 0xFF), a: alpha)
    }

    static func withAlpha(_ color: SDL_Color, _ alpha: UInt8) -> SDL_Color {
        SDL_Color(r: color.r, g: color.g, b: color.b, a: alpha)
    }
}

/// The fonts the app draws with (DejaVu, from Debian's fonts-dejavu-core).
enum FontStyle: Int, CaseIterable {
    case body, bodyBold, bodyItalic, code, small, smallBold, title, heading, label, big, display

    var file: String {
        switch self {
        case .body, .bodyItalic, .small, .label: "DejaVuSans.ttf"
        case .bodyBold, .smallBold, .title, .heading, .big, .display: "DejaVuSans-Bold.ttf"
        case .code: "DejaVuSansMono.ttf"
        }
    }

    var size: Int32 {
        switch self {
        case .body, .bodyBold, .bodyItalic: 15
        case .code: 14
        case .small, .smallBold: 12
        case .label: 11
        case .title: 22
        case .heading: 17
        case .big: 26
        case .display: 40
        }
    }
}
