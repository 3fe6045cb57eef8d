import Foundation
import Testing
import TestSupport

/// Exit statuses of the command line for usage questions: help is 0, a mistyped command is 2.
@Suite("CLI usage")
struct CLIUsageTests {
    @Test(arguments: [["nosuch", "--help"], ["db", "nosuch", "--help"], ["help", "nosuch"], ["nosuch"], ["load", "csv", "-h"]])
    func unknownCommandExitsTwoNamingIt(_ args: [String]) throws {
        let out = try FitdataProcess.run(args)
        #expect(out.status == 2, "\(args): \(out.stdout)")
        #expect(out.stderr.contains("'\(args.first { $0 != "help" && $0 != "db" && $0 != "load" }!)'"), "\(args): \(out.stderr)")
    }

    @Test(arguments: [["--help"], ["db", "init", "--help"], ["load", "hevy-csv", "--help"], ["help", "build"], ["build", "--help"]])
    func helpOfRealCommandsExitsZero(_ args: [String]) throws {
        let out = try FitdataProcess.run(args)
        #expect(out.status == 0, "\(args): \(out.stderr)")
        #expect(out.stdout.contains("USAGE"), "\(args)")
    }
}
