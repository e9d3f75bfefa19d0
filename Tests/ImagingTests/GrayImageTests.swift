import Imaging
import Testing

@Suite("GrayImage")
struct GrayImageTests {
    @Test("pixels are row-major with the top row first")
    func layout() {
        var image = GrayImage(width: 3, height: 2, fill: 7)
        #expect(image.pixels == [UInt8](repeating: 7, count: 6))
        image[2, 1] = 200
        image[0, 1] = 100
        #expect(image.pixels == [7, 7, 7, 100, 7, 200])
        #expect(image[2, 1] == 200)
        let other = GrayImage(width: 3, height: 2, pixels: [7, 7, 7, 100, 7, 200])
        #expect(image == other)
    }

    @Test("scaling repeats each pixel in a factor x factor block")
    func scaling() {
        let image = GrayImage(width: 2, height: 2, pixels: [1, 2, 3, 4])
        let scaled = image.scaled(by: 3)
        #expect(scaled.width == 6 && scaled.height == 6)
        for y in 0..<6 {
            for x in 0..<6 {
                #expect(scaled[x, y] == image[x / 3, y / 3])
            }
        }
        #expect(image.scaled(by: 1) == image)
    }
}
