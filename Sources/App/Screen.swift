import CSDL2
import Foundation
import Imaging

/// What went wrong starting SDL or drawing, for the learner.
public struct AppError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }

    static func sdl(_ what: String) -> AppError {
        AppError("\(what): \(String(cString: SDL_GetError()))")
    }
}

/// A rectangle in window pixels.
struct Rect: Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var maxX: Double { x + width }
    var maxY: Double { y + height }

    func contains(_ px: Double, _ py: Double) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
    func inset(_ amount: Double) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    var sdl: SDL_Rect {
        SDL_Rect(x: Int32(x.rounded()), y: Int32(y.rounded()), w: Int32(width.rounded()), h: Int32(height.rounded()))
    }
    var sdlF: SDL_FRect { SDL_FRect(x: Float(x), y: Float(y), w: Float(width), h: Float(height)) }
}

/// One SDL renderer (a window's, or a software one drawing into memory for screenshots) with
/// the app's fonts and a cache of text textures. Owns every SDL pointer it makes.
@MainActor
final class Screen {
    let renderer: OpaquePointer
    private let surface: UnsafeMutablePointer<SDL_Surface>?
    private var fonts: [FontStyle: OpaquePointer] = [:]
    private var textCache: [String: (texture: OpaquePointer, width: Int32, height: Int32)] = [:]
    private var widthCache: [String: Double] = [:]
    private(set) var width: Int
    private(set) var height: Int

    /// Draws on a window's renderer.
    init(renderer: OpaquePointer, width: Int, height: Int) throws {
        self.renderer = renderer
        self.surface = nil
        self.width = width
        self.height = height
        try loadFonts()
    }

    /// Draws into memory with SDL's software renderer: no display needed, the same pixels
    /// everywhere.
    init(offscreenWidth width: Int, height: Int) throws {
        guard
            let surface = SDL_CreateRGBSurfaceWithFormat(
                0, Int32(width), Int32(height), 32, UInt32(SDL_PIXELFORMAT_ARGB8888.rawValue))
        else { throw AppError.sdl("Could not make a \(width)x\(height) drawing surface") }
        guard let renderer = SDL_CreateSoftwareRenderer(surface) else {
            SDL_FreeSurface(surface)
            throw AppError.sdl("Could not start the software renderer")
        }
        self.renderer = renderer
        self.surface = surface
        self.width = width
        self.height = height
        try loadFonts()
    }

    func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    private func loadFonts() throws {
        if TTF_WasInit() == 0 && TTF_Init() != 0 { throw AppError.sdl("Could not start SDL_ttf") }
        let directories = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu"]
        for style in FontStyle.allCases {
            guard
                let path = directories.map({ "\($0)/\(style.file)" }).first(where: {
                    FileManager.default.fileExists(atPath: $0)
                })
            else {
                throw AppError(
                    "The font \(style.file) is missing. Install it with: sudo apt-get install fonts-dejavu-core")
            }
            guard let font = TTF_OpenFont(path, style.size) else { throw AppError.sdl("Could not open \(path)") }
            if style == .bodyItalic { TTF_SetFontStyle(font, TTF_STYLE_ITALIC) }
            TTF_SetFontHinting(font, TTF_HINTING_LIGHT)
            fonts[style] = font
        }
        SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND)
    }

    func tearDown() {
        for entry in textCache.values { SDL_DestroyTexture(entry.texture) }
        textCache = [:]
        for font in fonts.values { TTF_CloseFont(font) }
        fonts = [:]
        if let surface {
            SDL_DestroyRenderer(renderer)
            SDL_FreeSurface(surface)
        }
    }

    // MARK: Shapes

    func setColor(_ color: SDL_Color) {
        SDL_SetRenderDrawColor(renderer, color.r, color.g, color.b, color.a)
    }

    func clear(_ color: SDL_Color) {
        setColor(color)
        SDL_RenderClear(renderer)
    }

    func fill(_ rect: Rect, _ color: SDL_Color) {
        setColor(color)
        var r = rect.sdlF
        SDL_RenderFillRectF(renderer, &r)
    }

    func stroke(_ rect: Rect, _ color: SDL_Color) {
        setColor(color)
        var r = rect.sdlF
        SDL_RenderDrawRectF(renderer, &r)
    }

    /// A rectangle with rounded corners (radius in pixels), drawn as one convex polygon so
    /// translucent colours stay even.
    func fillRounded(_ rect: Rect, radius: Double, _ color: SDL_Color) {
        let r = min(radius, rect.height / 2, rect.width / 2)
        guard r > 0.5 else { return fill(rect, color) }
        let corners = [
            (rect.maxX - r, rect.maxY - r, 0.0), (rect.x + r, rect.maxY - r, 0.5), (rect.x + r, rect.y + r, 1.0),
            (rect.maxX - r, rect.y + r, 1.5),
        ]
        var points: [(Double, Double)] = []
        for (cx, cy, start) in corners {
            for k in 0...6 {
                let angle = (start + Double(k) / 12) * Double.pi
                points.append((cx + r * cos(angle), cy + r * sin(angle)))
            }
        }
        fillConvex(points, color)
    }

    func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ color: SDL_Color) {
        setColor(color)
        SDL_RenderDrawLineF(renderer, Float(x1), Float(y1), Float(x2), Float(y2))
    }

    /// A polyline `width` pixels wide, drawn as quads.
    func polyline(_ points: [(Double, Double)], width: Double, _ color: SDL_Color, closed: Bool = false) {
        guard points.count > 1 else { return }
        var vertices: [SDL_Vertex] = []
        vertices.reserveCapacity(points.count * 6)
        let count = closed ? points.count : points.count - 1
        for i in 0..<count {
            let (x1, y1) = points[i]
            let (x2, y2) = points[(i + 1) % points.count]
            let dx = x2 - x1
            let dy = y2 - y1
            let length = max((dx * dx + dy * dy).squareRoot(), 1e-9)
            let nx = -dy / length * width / 2
            let ny = dx / length * width / 2
            let quad = [(x1 + nx, y1 + ny), (x1 - nx, y1 - ny), (x2 + nx, y2 + ny), (x2 - nx, y2 - ny)]
            for index in [0, 1, 2, 2, 1, 3] { vertices.append(Self.vertex(quad[index], color)) }
        }
        SDL_RenderGeometry(renderer, nil, vertices, Int32(vertices.count), nil, 0)
    }

    /// Triangles, three points each.
    func triangles(_ points: [(Double, Double)], _ color: SDL_Color) {
        let vertices = points.map { Self.vertex($0, color) }
        SDL_RenderGeometry(renderer, nil, vertices, Int32(vertices.count), nil, 0)
    }

    /// A filled convex polygon.
    func fillConvex(_ points: [(Double, Double)], _ color: SDL_Color) {
        guard points.count >= 3 else { return }
        var triangles: [(Double, Double)] = []
        for i in 1..<(points.count - 1) { triangles += [points[0], points[i], points[i + 1]] }
        self.triangles(triangles, color)
    }

    func fillCircle(x: Double, y: Double, radius: Double, _ color: SDL_Color) {
        let segments = max(12, Int(radius * 1.5))
        let ring = (0..<segments).map { k -> (Double, Double) in
            let angle = Double(k) / Double(segments) * 2 * Double.pi
            return (x + radius * cos(angle), y + radius * sin(angle))
        }
        fillConvex(ring, color)
    }

    static func vertex(_ point: (Double, Double), _ color: SDL_Color) -> SDL_Vertex {
        SDL_Vertex(
            position: SDL_FPoint(x: Float(point.0), y: Float(point.1)), color: color,
            tex_coord: SDL_FPoint(x: 0, y: 0))
    }

    /// Limits drawing to `rect` until `unclip()`.
    func clip(_ rect: Rect) {
        var r = rect.sdl
        SDL_RenderSetClipRect(renderer, &r)
    }

    func unclip() { SDL_RenderSetClipRect(renderer, nil) }

    // MARK: Text

    /// Width in pixels of `text` in `style`.
    func measure(_ text: String, _ style: FontStyle) -> Double {
        let key = "\(style.rawValue)|\(text)"
        if let cached = widthCache[key] { return cached }
        var w: Int32 = 0
        var h: Int32 = 0
        if let font = fonts[style] { TTF_SizeUTF8(font, text, &w, &h) }
        if widthCache.count > 20_000 { widthCache = [:] }
        widthCache[key] = Double(w)
        return Double(w)
    }

    func lineHeight(_ style: FontStyle) -> Double {
        guard let font = fonts[style] else { return Double(style.size) }
        return Double(TTF_FontLineSkip(font))
    }

    /// Draws one line of text with its top-left at (x, y); returns its width.
    @discardableResult
    func text(_ text: String, x: Double, y: Double, _ style: FontStyle, _ color: SDL_Color) -> Double {
        guard !text.isEmpty, let entry = texture(text, style, color) else { return 0 }
        var destination = SDL_Rect(x: Int32(x.rounded()), y: Int32(y.rounded()), w: entry.width, h: entry.height)
        SDL_RenderCopy(renderer, entry.texture, nil, &destination)
        return Double(entry.width)
    }

    /// Text centred in `rect`.
    func centredText(_ text: String, in rect: Rect, _ style: FontStyle, _ color: SDL_Color) {
        let width = measure(text, style)
        self.text(
            text, x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - lineHeight(style)) / 2, style, color)
    }

    private func texture(_ text: String, _ style: FontStyle, _ color: SDL_Color) -> (
        texture: OpaquePointer, width: Int32, height: Int32
    )? {
        let key = "\(style.rawValue)|\(color.r),\(color.g),\(color.b),\(color.a)|\(text)"
        if let cached = textCache[key] { return cached }
        guard let font = fonts[style], let surface = TTF_RenderUTF8_Blended(font, text, color) else { return nil }
        defer { SDL_FreeSurface(surface) }
        guard let texture = SDL_CreateTextureFromSurface(renderer, surface) else { return nil }
        if textCache.count > 3000 {
            for entry in textCache.values { SDL_DestroyTexture(entry.texture) }
            textCache = [:]
        }
        let entry = (texture: texture, width: surface.pointee.w, height: surface.pointee.h)
        textCache[key] = entry
        return entry
    }

    // MARK: Images

    /// A streaming texture for gray frames of `width` x `height`.
    func makeGrayTexture(width: Int, height: Int) -> OpaquePointer? {
        SDL_CreateTexture(
            renderer, UInt32(SDL_PIXELFORMAT_RGB24.rawValue), Int32(SDL_TEXTUREACCESS_STREAMING.rawValue),
            Int32(width), Int32(height))
    }

    /// Copies gray values (one byte per pixel) into an RGB24 texture.
    func upload(gray: [UInt8], width: Int, height: Int, to texture: OpaquePointer) {
        guard gray.count >= width * height else { return }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            rgb[3 * i] = gray[i]
            rgb[3 * i + 1] = gray[i]
            rgb[3 * i + 2] = gray[i]
        }
        var rect = SDL_Rect(x: 0, y: 0, w: Int32(width), h: Int32(height))
        SDL_UpdateTexture(texture, &rect, rgb, Int32(width * 3))
    }

    /// Copies RGBA values into a texture made with `makeRGBATexture`.
    func makeRGBATexture(width: Int, height: Int, rgba: [UInt8]) -> OpaquePointer? {
        guard
            let texture = SDL_CreateTexture(
                renderer, UInt32(SDL_PIXELFORMAT_ABGR8888.rawValue), Int32(SDL_TEXTUREACCESS_STATIC.rawValue),
                Int32(width), Int32(height))
        else { return nil }
        SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND)
        var rect = SDL_Rect(x: 0, y: 0, w: Int32(width), h: Int32(height))
        SDL_UpdateTexture(texture, &rect, rgba, Int32(width * 4))
        return texture
    }

    /// Replaces the RGBA values of a texture made with `makeRGBATexture`.
    func update(rgba: [UInt8], width: Int, height: Int, texture: OpaquePointer) {
        guard rgba.count >= width * height * 4 else { return }
        var rect = SDL_Rect(x: 0, y: 0, w: Int32(width), h: Int32(height))
        SDL_UpdateTexture(texture, &rect, rgba, Int32(width * 4))
    }

    func draw(texture: OpaquePointer, in rect: Rect) {
        var destination = rect.sdl
        SDL_RenderCopy(renderer, texture, nil, &destination)
    }

    /// The pixels drawn so far, as an RGB canvas (read before presenting).
    func capture() throws -> Canvas {
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        let status = pixels.withUnsafeMutableBytes { buffer in
            SDL_RenderReadPixels(
                renderer, nil, UInt32(SDL_PIXELFORMAT_ABGR8888.rawValue), buffer.baseAddress, Int32(width * 4))
        }
        guard status == 0 else { throw AppError.sdl("Could not read the frame back") }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            rgb[3 * i] = pixels[4 * i]
            rgb[3 * i + 1] = pixels[4 * i + 1]
            rgb[3 * i + 2] = pixels[4 * i + 2]
        }
        return Canvas(width: width, height: height, pixels: rgb)
    }
}
