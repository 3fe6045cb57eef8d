/// What to check when libpq refuses a server's certificate (`sslmode=verify-ca` / `verify-full`).
///
/// libpq's own message stays first and unchanged; the hint names the conninfo setting that decides the check,
/// so "certificate verify failed" does not leave the user guessing which side is wrong.
enum TLSFailureHint {
    /// The hint for libpq's connection error `message`, or nil when it is not a certificate check.
    static func hint(for message: String) -> String? {
        if message.contains("does not match host name") {
            return "the host in the connection string is not a name the server's certificate lists "
                + "(sslmode=verify-full): connect by a name the certificate lists"
        }
        if message.contains("certificate verify failed") {
            return "the server's certificate is not signed by a CA in sslrootcert: point sslrootcert at the CA "
                + "that signed it (for Amazon RDS, its CA bundle)"
        }
        if message.contains("root certificate file") && message.contains("does not exist") {
            return "sslmode=verify-ca/verify-full need sslrootcert=<CA file>"
        }
        return nil
    }
}
