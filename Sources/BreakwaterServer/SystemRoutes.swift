import Hummingbird

/// `GET /v1/system`: the cross-market view (correlation regime), as last sampled.
struct SystemRoutes {
    let system: SystemBoard
    let tokens: TokenBook

    static let table: [(pattern: [Substring], methods: [HTTPRequest.Method])] = [(["v1", "system"], [.get])]

    func register(on router: Router<ClientRequestContext>) {
        router.get("/v1/system") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            return Response(
                status: .ok,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: system.json())
            )
        }
    }
}
