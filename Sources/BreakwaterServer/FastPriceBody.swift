import BreakwaterEngine
import BreakwaterWire
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// A fast reader for well-formed `POST /v1/prices` bodies, straight from the bytes.
///
/// It accepts only the plain shape (no string escapes, no unknown keys, numbers where numbers
/// belong, timestamps as unix seconds or RFC 3339) and returns nil for anything else, so the
/// general reader (`RequestBodies.prices`) produces the precise error or per-quote rejection.
/// Both readers give the same result for every body this one accepts.
enum FastPriceBody {
    static func parse(_ buffer: ByteBuffer) -> (source: String, quotes: [PushQuote])? {
        buffer.withUnsafeReadableBytes { raw -> (String, [PushQuote])? in
            var r = Reader(bytes: raw)
            return r.body()
        }
    }

    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 {
                i += 1
            }
        }

        mutating func expect(_ c: UInt8) -> Bool {
            skipSpace()
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }

        mutating func peek() -> UInt8? {
            skipSpace()
            return i < bytes.count ? bytes[i] : nil
        }

        /// A string without escapes or control characters, as raw bytes.
        mutating func rawString() -> UnsafeRawBufferPointer? {
            guard expect(0x22) else { return nil }
            let start = i
            while i < bytes.count {
                let c = bytes[i]
                if c == 0x22 {
                    i += 1
                    return UnsafeRawBufferPointer(rebasing: bytes[start..<(i - 1)])
                }
                // Escapes, control characters and non-ASCII (which needs UTF-8 validation) are
                // left to the strict reader.
                if c == 0x5C || c < 0x20 || c >= 0x80 { return nil }
                i += 1
            }
            return nil
        }

        mutating func string() -> String? { rawString().map { String(decoding: $0, as: UTF8.self) } }

        /// A JSON number through the one number grammar (`DecimalText.scan`, JSON dialect): finite,
        /// and no nonzero number rounded to 0, as the strict reader.
        mutating func number() -> Double? {
            skipSpace()
            guard case let .success((value, end)) = DecimalText.scan(bytes, from: i, .json) else { return nil }
            i = end
            return value
        }

        static func equals(_ s: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
            s.count == literal.utf8CodeUnitCount && memcmp(s.baseAddress!, literal.utf8Start, s.count) == 0
        }

        mutating func body() -> (String, [PushQuote])? {
            guard expect(0x7B) else { return nil }
            var source: String?
            var quotes: [PushQuote]?
            repeat {
                guard let key = rawString(), expect(0x3A) else { return nil }
                if Self.equals(key, "source") {
                    guard source == nil, let s = string(), !s.isEmpty else { return nil }
                    source = s
                } else if Self.equals(key, "prices") {
                    guard quotes == nil, let q = quoteArray() else { return nil }
                    quotes = q
                } else {
                    return nil
                }
            } while expect(0x2C)
            guard expect(0x7D), peek() == nil, let source, let quotes else { return nil }
            return (source, quotes)
        }

        mutating func quoteArray() -> [PushQuote]? {
            guard expect(0x5B) else { return nil }
            var out: [PushQuote] = []
            if peek() == 0x5D {
                i += 1
                return out
            }
            out.reserveCapacity(min(10_000, bytes.count / 40))
            repeat {
                guard out.count < RequestBodies.maxQuotesPerPush, let q = quote() else { return nil }
                out.append(q)
            } while expect(0x2C)
            guard expect(0x5D) else { return nil }
            return out
        }

        mutating func quote() -> PushQuote? {
            guard expect(0x7B) else { return nil }
            var market: String?
            var price: Double?
            var time: Double?
            var confidence: Double?
            var sawConfidence = false
            repeat {
                guard let key = rawString(), expect(0x3A) else { return nil }
                if Self.equals(key, "market") {
                    guard market == nil, let m = string() else { return nil }
                    market = m
                } else if Self.equals(key, "price") {
                    guard price == nil, let p = number() else { return nil }
                    price = p
                } else if Self.equals(key, "timestamp") {
                    guard time == nil else { return nil }
                    if peek() == 0x22 {
                        guard let s = rawString(), let t = RFC3339.parse(String(decoding: s, as: UTF8.self)) else {
                            return nil
                        }
                        time = t
                    } else {
                        guard let t = number() else { return nil }
                        time = t
                    }
                } else if Self.equals(key, "confidence") {
                    guard !sawConfidence else { return nil }
                    sawConfidence = true
                    if peek() == 0x6E {
                        guard i + 4 <= bytes.count, bytes[i + 1] == 0x75, bytes[i + 2] == 0x6C, bytes[i + 3] == 0x6C
                        else { return nil }
                        i += 4
                    } else {
                        guard let c = number() else { return nil }
                        confidence = c
                    }
                } else {
                    return nil
                }
            } while expect(0x2C)
            guard expect(0x7D), let market, let price, let time else { return nil }
            return PushQuote(market: market, price: price, time: time, confidence: confidence)
        }
    }
}
