import Testing
@testable import AWSKit
