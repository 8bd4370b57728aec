extension ConfigLoader {
    /// `host` as it goes into a URL or a `host:port` line: an IPv6 address in brackets
    /// (`[::1]`), anything else (a name, IPv4, an address already bracketed) as it is.
    public static func hostForURL(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }
}
