/// The fields of one CSV line (RFC 4180 quoting), spaces around quoted fields allowed.
enum CSVFields {
    static func split(_ line: Substring) -> Result<[Substring], PriceRow.RowError> {
        var quoted: [Bool] = []
        return split(line, quoted: &quoted)
    }

    /// The fields, and in `quoted` whether each was written in double quotes.
    static func split(_ line: Substring, quoted: inout [Bool]) -> Result<[Substring], PriceRow.RowError> {
        var fields: [Substring] = []
        fields.reserveCapacity(5)
        quoted.removeAll(keepingCapacity: true)
        // Delimiters, quotes and spaces are ASCII: looked for by bytes (a byte of a multi-byte
        // character is never ASCII), which is much faster than by characters.
        let bytes = line.utf8
        var i = line.startIndex
        while true {
            var start = i
            while start < bytes.endIndex, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") {
                bytes.formIndex(after: &start)
            }
            if start < bytes.endIndex, bytes[start] == UInt8(ascii: "\"") {
                var text = ""
                var j = line.index(after: start)
                var closed = false
                while j < line.endIndex {
                    if line[j] == "\"" {
                        let next = line.index(after: j)
                        if next < line.endIndex, line[next] == "\"" {
                            text.append("\"")
                            j = line.index(after: next)
                            continue
                        }
                        closed = true
                        j = next
                        break
                    }
                    text.append(line[j])
                    j = line.index(after: j)
                }
                guard closed else { return .failure(.init("a quoted field has no closing quote")) }
                while j < line.endIndex, line[j] == " " || line[j] == "\t" { j = line.index(after: j) }
                fields.append(Substring(text))
                quoted.append(true)
                if j == line.endIndex { return .success(fields) }
                guard line[j] == "," else {
                    return .failure(.init("text after the closing quote of field \(fields.count)"))
                }
                i = line.index(after: j)
            } else if let comma = bytes[i...].firstIndex(of: UInt8(ascii: ",")) {
                fields.append(line[i..<comma])
                quoted.append(false)
                i = bytes.index(after: comma)
            } else {
                fields.append(line[i...])
                quoted.append(false)
                return .success(fields)
            }
        }
    }
}
