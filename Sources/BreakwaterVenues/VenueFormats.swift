import Foundation

/// Real response formats of each venue, filled with synthetic numbers.
enum VenueFormats {
    /// Decimal text of a price (`NaN` and negatives pass through: the point of the bad-price mode).
    static func num(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
        return String(format: "%.8f", v).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
    }

    static func iso8601(_ t: Double) -> String {
        let date = Date(timeIntervalSince1970: t.rounded(.down))
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let nanos = Int((t - t.rounded(.down)) * 1e9)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ",
            c.year!,
            c.month!,
            c.day!,
            c.hour!,
            c.minute!,
            c.second!,
            nanos
        )
    }

    static func coinbase(_ symbol: String, _ t: VenueTick) -> String {
        let parts = symbol.split(separator: "-")
        return
            #"{"data":{"amount":"\#(num(t.price))","base":"\#(parts.first ?? "")","currency":"\#(parts.last ?? "")"}}"#
    }

    static func coinbaseExchange(_ t: VenueTick) -> String {
        #"{"ask":"\#(num(t.ask))","bid":"\#(num(t.bid))","volume":"4916.9","trade_id":\#(Int(t.time) % 1_000_000_000),"price":"\#(num(t.price))","size":"0.0078","time":"\#(iso8601(t.time))"}"#
    }

    /// Kraken answers with its own pair name (XBTUSD -> XXBTZUSD).
    static func krakenName(_ pair: String) -> String {
        let names = [
            "XBTUSD": "XXBTZUSD", "BTCUSD": "XXBTZUSD", "ETHUSD": "XETHZUSD", "XBTEUR": "XXBTZEUR",
            "ETHEUR": "XETHZEUR", "USDTUSD": "USDTZUSD",
        ]
        return names[pair.uppercased()] ?? pair.uppercased()
    }

    static func kraken(_ pair: String, _ t: VenueTick) -> String {
        let p = num(t.price)
        return
            #"{"error":[],"result":{"\#(krakenName(pair))":{"a":["\#(num(t.ask))","2","2.000"],"b":["\#(num(t.bid))","11","11.000"],"c":["\#(p)","0.01026127"],"v":["1000.1","2000.2"],"p":["\#(p)","\#(p)"],"t":[1000,2000],"l":["\#(p)","\#(p)"],"h":["\#(p)","\#(p)"],"o":"\#(p)"}}}"#
    }

    static func binancePrice(_ symbol: String, _ t: VenueTick) -> String {
        #"{"symbol":"\#(symbol)","price":"\#(num(t.price))"}"#
    }

    static func binanceBook(_ symbol: String, _ t: VenueTick) -> String {
        #"{"symbol":"\#(symbol)","bidPrice":"\#(num(t.bid))","bidQty":"1.50000000","askPrice":"\#(num(t.ask))","askQty":"2.00000000"}"#
    }

    static func bitstamp(_ pair: String, _ t: VenueTick) -> String {
        let p = num(t.price)
        return
            #"{"timestamp":"\#(Int(t.time))","open":"\#(p)","high":"\#(p)","low":"\#(p)","last":"\#(p)","volume":"1234.5","vwap":"\#(p)","bid":"\#(num(t.bid))","ask":"\#(num(t.ask))","side":"0","open_24":"\#(p)","percent_change_24":"0.00","market":"\#(pair.uppercased())"}"#
    }

    static func okx(_ instId: String, _ t: VenueTick) -> String {
        let p = num(t.price)
        return
            #"{"code":"0","msg":"","data":[{"instType":"SPOT","instId":"\#(instId)","last":"\#(p)","lastSz":"0.1","askPx":"\#(num(t.ask))","askSz":"1","bidPx":"\#(num(t.bid))","bidSz":"1","open24h":"\#(p)","high24h":"\#(p)","low24h":"\#(p)","volCcy24h":"0","vol24h":"0","ts":"\#(Int64(t.time * 1000))","sodUtc0":"\#(p)","sodUtc8":"\#(p)"}]}"#
    }

    static func bybit(_ symbol: String, _ t: VenueTick) -> String {
        let p = num(t.price)
        return
            #"{"retCode":0,"retMsg":"OK","result":{"category":"spot","list":[{"symbol":"\#(symbol)","bid1Price":"\#(num(t.bid))","bid1Size":"1","ask1Price":"\#(num(t.ask))","ask1Size":"1","lastPrice":"\#(p)","prevPrice24h":"\#(p)","price24hPcnt":"0","highPrice24h":"\#(p)","lowPrice24h":"\#(p)","turnover24h":"0","volume24h":"0"}]},"retExtInfo":{},"time":\#(Int64(t.time * 1000))}"#
    }

    /// One Hermes `parsed` entry; price and conf as integers with expo -8.
    static func pythEntry(_ id: String, _ t: VenueTick) -> String {
        func mantissa(_ v: Double) -> String { v.isFinite ? String(Int64((v * 1e8).rounded())) : num(v) }
        let price =
            #"{"price":"\#(mantissa(t.price))","conf":"\#(mantissa(t.confidence))","expo":-8,"publish_time":\#(Int(t.time))}"#
        return
            #"{"id":"\#(id)","price":\#(price),"ema_price":\#(price),"metadata":{"slot":1,"proof_available_time":\#(Int(t.time)),"prev_publish_time":\#(Int(t.time) - 1)}}"#
    }

    static func pyth(_ entries: [String]) -> String {
        #"{"binary":{"encoding":"hex","data":["53696d756c61746564"]},"parsed":[\#(entries.joined(separator: ","))]}"#
    }

    /// 32-byte word of a signed integer (two's complement).
    static func word(_ v: Int64) -> String {
        let hex = String(UInt64(bitPattern: v), radix: 16)
        let pad = v < 0 ? "f" : "0"
        return String(repeating: pad, count: 64 - hex.count) + hex
    }

    /// `latestRoundData()` result: roundId, answer (8 decimals), startedAt, updatedAt, answeredInRound.
    static func chainlinkRound(_ t: VenueTick, round: Int64) -> String {
        let answer = t.price.isFinite ? Int64((t.price * 1e8).rounded()) : 0
        return "0x" + word(round) + word(answer) + word(Int64(t.time)) + word(Int64(t.time)) + word(round)
    }

    static func jsonRPC(id: String, result: String) -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"result":"\#(result)"}"#
    }

    static func custom(_ symbol: String, _ t: VenueTick) -> String {
        #"{"data":{"symbol":"\#(symbol)","price":"\#(num(t.price))","conf":\#(t.confidence.isFinite ? num(t.confidence) : "0"),"timestamp":\#(Int(t.time))}}"#
    }

    static func htmlPage(status: Int) -> String {
        "<!DOCTYPE html>\n<html><head><title>\(status) Bad Gateway</title></head><body><h1>\(status) Bad Gateway</h1><p>cloudflare (simulated)</p></body></html>\n"
    }
}
