import Foundation

/// The server-side encryption S3 applies to uploaded objects (`x-amz-server-side-encryption`).
public enum S3ServerSideEncryption: Sendable, Equatable {
    /// No header: the bucket's default applies (for S3-compatible stores without SSE support).
    case none
    /// SSE-S3: keys managed by S3 (`AES256`), the default.
    case aes256
    /// SSE-KMS (`aws:kms`) with the given key id or ARN, or the account's AWS-managed key when nil.
    case kms(keyId: String?)

    /// From `FITDATA_S3_SSE` (`AES256`, the default; `aws:kms`; `none`) and `FITDATA_S3_KMS_KEY_ID`
    /// (a key id or ARN; on its own it implies `aws:kms`).
    public static func fromEnvironment(_ env: [String: String]) throws -> S3ServerSideEncryption {
        let keyId = env.nonEmpty("FITDATA_S3_KMS_KEY_ID")
        switch env.nonEmpty("FITDATA_S3_SSE")?.lowercased() {
        case nil: return keyId.map { .kms(keyId: $0) } ?? .aes256
        case "aes256": 
            if keyId != nil { throw S3ConfigurationError.kmsKeyWithoutKMS }
            return .aes256
        case "aws:kms", "kms": return .kms(keyId: keyId)
        case "none":
            if keyId != nil { throw S3ConfigurationError.kmsKeyWithoutKMS }
            return .none
        case let other?: throw S3ConfigurationError.unknownEncryption(other)
        }
    }

    /// The request headers that ask for this encryption.
    var headers: [String: String] {
        switch self {
        case .none: return [:]
        case .aes256: return ["x-amz-server-side-encryption": "AES256"]
        case .kms(let keyId):
            var h = ["x-amz-server-side-encryption": "aws:kms"]
            if let keyId { h["x-amz-server-side-encryption-aws-kms-key-id"] = keyId }
            return h
        }
    }
}

/// S3 output settings in the environment that cannot be used.
public enum S3ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownEncryption(String)
    case kmsKeyWithoutKMS

    public var description: String {
        switch self {
        case .unknownEncryption(let value):
            return "FITDATA_S3_SSE=\(value) is not one of AES256, aws:kms, none"
        case .kmsKeyWithoutKMS:
            return "FITDATA_S3_KMS_KEY_ID is set but FITDATA_S3_SSE is not aws:kms"
        }
    }
}
