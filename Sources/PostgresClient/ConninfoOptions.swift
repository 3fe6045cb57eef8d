import CLibPQ

/// The settings a libpq connection string stands for, as libpq itself reads them.
///
/// One home for reading a conninfo: libpq's own parser (`PQconninfoParse`) takes both forms (a
/// `postgresql://` URI with percent-encoding and query parameters, and `key = 'quoted value'` pairs), and
/// what the string leaves out comes from libpq's defaults (`PQconndefaults`: the `PG*` environment variables,
/// then its compiled-in defaults). Passwords are never returned.
public enum ConninfoOptions {
    /// The non-empty settings of `conninfo` over libpq's defaults, keyed by libpq's keyword (`dbname`, `user`,
    /// `host`, `port`, …), without `password`; nil when libpq cannot parse the string.
    public static func resolved(_ conninfo: String) -> [String: String]? {
        var message: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(conninfo, &message) else {
            if let message { PQfreemem(message) }
            return nil
        }
        defer { PQconninfoFree(parsed) }
        var out = settings(parsed)
        if let defaults = PQconndefaults() {
            defer { PQconninfoFree(defaults) }
            for (key, value) in settings(defaults) where out[key] == nil { out[key] = value }
        }
        return out
    }

    /// The keyword/value pairs of a libpq option array, empty values and the password left out.
    private static func settings(_ options: UnsafeMutablePointer<PQconninfoOption>) -> [String: String] {
        var out: [String: String] = [:]
        var p = options
        while let keyword = p.pointee.keyword {
            let key = String(cString: keyword)
            if key != "password", let value = p.pointee.val {
                let text = String(cString: value)
                if !text.isEmpty { out[key] = text }
            }
            p += 1
        }
        return out
    }
}
