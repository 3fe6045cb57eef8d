import Foundation

/// Why an e-mail was not sent; no message contains the SMTP password.
public enum MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `SMTP_URL`, `SMTP_FROM`, `SMTP_CA_FILE` or an address is missing or invalid.
    case configuration(String)
    /// The SMTP exchange failed (connection, TLS, authentication, a refused recipient).
    case sendFailed(String)

    public var description: String {
        switch self {
        case .configuration(let m): return "e-mail: \(m)"
        case .sendFailed(let m): return "e-mail not sent: \(m)"
        }
    }
}
