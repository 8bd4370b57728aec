import Foundation
import Hummingbird

/// Path parameters as the client meant them: percent-decoded (`BTC%2DUSD` is `BTC-USD`).
extension Parameters {
    func decoded(_ name: String) throws -> String {
        let raw = try require(name)
        guard let value = raw.removingPercentEncoding else {
            throw APIError.badRequest(name, "malformed percent-encoding in the path")
        }
        return value
    }
}
