import BreakwaterWire

/// Reads the keys of one JSON object, checking types and ranges, and reports every key it
/// did not read as unknown (a typo in a risk threshold must not be silently ignored).
struct ObjectReader {
    let path: String
    let object: [String: JSONValue]
    let sink: IssueSink
    private(set) var read: Set<String> = []

    /// Reads `value` at `path` as an object; reports and returns nil when it is not one.
    init?(_ value: JSONValue?, path: String, sink: IssueSink, required: Bool = false) {
        switch value {
        case let .object(o)?:
            self.object = o
        case nil:
            if required { sink.add(path, "missing (expected an object)") }
            return nil
        case let other?:
            // null is not "absent": leaving a block out takes the defaults, null is a mistake.
            if path.isEmpty {
                sink.add(path, "the document must be a JSON object, found \(other.typeName)")
            } else {
                sink.add(
                    path,
                    "expected an object, found \(other.typeName)\(other == .null ? " (leave the key out for the defaults)" : "")"
                )
            }
            return nil
        }
        self.path = path
        self.sink = sink
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool { object[key] != nil }

    /// The raw value of `key`, marking it read.
    mutating func raw(_ key: String) -> JSONValue? {
        read.insert(key)
        return object[key]
    }

    /// A finite number in `range`; `nil` when absent (or reported when required).
    mutating func number(
        _ key: String,
        _ range: ClosedRange<Double>? = nil,
        exclusiveLower: Bool = false,
        exclusiveUpper: Bool = false,
        required: Bool = false
    ) -> Double? {
        switch raw(key) {
        case nil:
            if required { sink.add(child(key), "missing (expected a number)") }
            return nil
        case let .number(d)?:
            guard d.isFinite else {
                sink.add(child(key), "expected a finite number")
                return nil
            }
            if let r = range {
                let lowOK = exclusiveLower ? d > r.lowerBound : d >= r.lowerBound
                let highOK = exclusiveUpper ? d < r.upperBound : d <= r.upperBound
                if !(lowOK && highOK) {
                    let lo = exclusiveLower ? "(" : "["
                    let hi = exclusiveUpper ? ")" : "]"
                    sink.add(
                        child(key),
                        "\(format(d)) is out of range (expected a number in \(lo)\(format(r.lowerBound)), \(format(r.upperBound))\(hi))"
                    )
                    return nil
                }
            }
            return d
        case let other?:
            sink.add(child(key), "expected a number, found \(other.typeName)")
            return nil
        }
    }

    /// An optional number that may be `null` to switch a rule off: `.some(nil)` means null given.
    mutating func nullableNumber(
        _ key: String,
        _ range: ClosedRange<Double>,
        exclusiveLower: Bool = false,
        exclusiveUpper: Bool = false
    ) -> Double?? {
        if case .null? = object[key] {
            read.insert(key)
            return .some(nil)
        }
        guard object[key] != nil else {
            read.insert(key)
            return nil
        }
        guard let v = number(key, range, exclusiveLower: exclusiveLower, exclusiveUpper: exclusiveUpper) else {
            return nil
        }
        return .some(v)
    }

    /// A whole number in `range`.
    mutating func integer(_ key: String, _ range: ClosedRange<Int>, required: Bool = false) -> Int? {
        let before = sink.issues.count
        guard let d = number(key, required: required) else { return nil }
        guard sink.issues.count == before else { return nil }
        guard d == d.rounded() else {
            sink.add(child(key), "expected a whole number, found \(format(d))")
            return nil
        }
        guard let i = Int(exactly: d), range.contains(i) else {
            sink.add(child(key), "\(format(d)) is out of range (expected \(range.lowerBound)...\(range.upperBound))")
            return nil
        }
        return i
    }

    mutating func string(_ key: String, required: Bool = false, nonEmpty: Bool = true) -> String? {
        switch raw(key) {
        case nil:
            if required { sink.add(child(key), "missing (expected a string)") }
            return nil
        case let .string(s)?:
            if nonEmpty && s.isEmpty {
                sink.add(child(key), "must not be empty")
                return nil
            }
            return s
        case let other?:
            sink.add(child(key), "expected a string, found \(other.typeName)")
            return nil
        }
    }

    mutating func bool(_ key: String) -> Bool? {
        switch raw(key) {
        case nil: return nil
        case let .bool(b)?: return b
        case let other?:
            sink.add(child(key), "expected true or false, found \(other.typeName)")
            return nil
        }
    }

    /// One of `allowed` (raw values of `E`).
    mutating func choice<E: RawRepresentable & CaseIterable>(_ key: String, as: E.Type, required: Bool = false) -> E?
    where E.RawValue == String {
        guard let s = string(key, required: required) else { return nil }
        if let e = E(rawValue: s) { return e }
        let options = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        sink.add(child(key), "unknown \(key) \"\(s)\" (expected one of \(options))")
        return nil
    }

    /// An array of values; nil when absent.
    mutating func array(_ key: String, required: Bool = false) -> [JSONValue]? {
        switch raw(key) {
        case nil:
            if required { sink.add(child(key), "missing (expected an array)") }
            return nil
        case let .array(a)?: return a
        case let other?:
            sink.add(child(key), "expected an array, found \(other.typeName)")
            return nil
        }
    }

    /// An array of strings; nil when absent.
    mutating func strings(_ key: String) -> [String]? {
        guard let a = array(key) else { return nil }
        var out: [String] = []
        for (i, v) in a.enumerated() {
            if case let .string(s) = v {
                out.append(s)
            } else {
                sink.add("\(child(key))[\(i)]", "expected a string, found \(v.typeName)")
            }
        }
        return out
    }

    /// Reports every key that nothing read.
    func finish(expected: [String]? = nil) {
        for key in object.keys.sorted() where !read.contains(key) {
            let known = (expected ?? read.sorted()).joined(separator: ", ")
            sink.add(child(key), "unknown key (expected one of: \(known))")
        }
    }
}

func format(_ d: Double) -> String {
    if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
    return "\(d)"
}
