import Imaging
import Testing

@Suite("RGBColor")
struct RGBColorTests {
    static let luminanceCases: [(RGBColor, UInt8)] = [
        (.red, 76),  // 0.299 * 255 = 76.245
        (.green, 149),  // 0.587 * 255 = 149.685
        (.blue, 29),  // 0.114 * 255 = 29.07
        (.white, 255),  // exactly 255, not 254.99...
        (.black, 0),
        (RGBColor(red: 10, green: 20, blue: 30), 18),  // 2.99 + 11.74 + 3.42 = 18.15
        (RGBColor(red: 200, green: 100, blue: 50), 124),  // 59.8 + 58.7 + 5.7 = 124.2
    ]

    @Test("luminance is the truncated BT.601 weighted sum", arguments: luminanceCases)
    func luminance(color: RGBColor, expected: UInt8) {
        #expect(color.luminance == expected)
    }

    @Test("gray colours keep their level as luminance")
    func grayLuminance() {
        for level in 0...255 {
            let gray = RGBColor(gray: UInt8(level))
            #expect(gray.red == UInt8(level) && gray.green == UInt8(level) && gray.blue == UInt8(level))
            #expect(gray.luminance == UInt8(level))
        }
    }

    @Test("blending goes from one colour to the other")
    func blending() {
        #expect(RGBColor.black.blended(with: .white, fraction: 0) == .black)
        #expect(RGBColor.black.blended(with: .white, fraction: 1) == .white)
        #expect(RGBColor.black.blended(with: .white, fraction: 0.5) == RGBColor(gray: 128))
    }
}
