import Foundation
import Hummingbird

/// The baseline for the HTTP benchmark: a bare Hummingbird route serving a fixed JSON body
/// (the same bytes Breakwater served for the market), with no middleware.
/// Usage: BareHummingbird PORT BODY_FILE
let args = CommandLine.arguments
guard args.count == 3, let port = Int(args[1]), let body = FileManager.default.contents(atPath: args[2]) else {
    print("usage: BareHummingbird PORT BODY_FILE")
    exit(2)
}
let router = Router()
let buffer = ByteBuffer(bytes: body)
router.get("/v1/markets/:id") { _, _ in
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
